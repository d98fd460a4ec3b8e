// Hosts librdkafka's mock Kafka cluster (one broker) for other processes, as the reference
// that scripts/bench-wire measures EventLab against. Prints "listening on HOST:PORT", creates the
// topics named on the command line ("name:partitions"), and runs until stdin closes.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char error[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_t *client = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!client) {
        fprintf(stderr, "cannot create a client: %s\n", error);
        return 1;
    }
    rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(client, 1);
    if (!cluster) {
        fprintf(stderr, "cannot start the mock cluster\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        char *name = strdup(argv[i]);
        char *colon = strchr(name, ':');
        int partitions = colon ? atoi(colon + 1) : 1;
        if (colon) *colon = '\0';
        rd_kafka_mock_topic_create(cluster, name, partitions, 1);
        free(name);
    }
    printf("listening on %s\n", rd_kafka_mock_cluster_bootstraps(cluster));
    fflush(stdout);
    char buffer[64];
    while (read(0, buffer, sizeof buffer) > 0) {
    }
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(client);
    return 0;
}
