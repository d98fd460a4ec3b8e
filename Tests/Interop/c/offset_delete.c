/* Deletes a consumer group's committed offsets with librdkafka's admin call
 * rd_kafka_DeleteConsumerGroupOffsets (Kafka's OffsetDelete, KIP-496), which no Python
 * client has, and prints what the broker answered:
 *
 *   offset_delete BOOTSTRAP GROUP TOPIC:PARTITION...
 *
 * prints "group GROUP NONE" (or "error NAME: message" for an error of the whole call), then
 * one line "TOPIC PARTITION ERROR_NAME" per partition. Exits 0 once an answer was printed. */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s BOOTSTRAP GROUP TOPIC:PARTITION...\n", argv[0]);
        return 2;
    }
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "%s\n", errstr);
        return 2;
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        fprintf(stderr, "%s\n", errstr);
        return 2;
    }

    rd_kafka_topic_partition_list_t *partitions = rd_kafka_topic_partition_list_new(argc - 3);
    for (int i = 3; i < argc; i++) {
        char *colon = strrchr(argv[i], ':');
        if (!colon) {
            fprintf(stderr, "'%s' is not TOPIC:PARTITION\n", argv[i]);
            return 2;
        }
        *colon = '\0';
        rd_kafka_topic_partition_list_add(partitions, argv[i], atoi(colon + 1));
    }
    rd_kafka_DeleteConsumerGroupOffsets_t *request = rd_kafka_DeleteConsumerGroupOffsets_new(argv[2], partitions);
    rd_kafka_topic_partition_list_destroy(partitions);

    rd_kafka_queue_t *queue = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS);
    rd_kafka_AdminOptions_set_request_timeout(options, 10000, errstr, sizeof errstr);
    rd_kafka_DeleteConsumerGroupOffsets(rk, &request, 1, options, queue);

    rd_kafka_event_t *event = rd_kafka_queue_poll(queue, 20000);
    int status = 0;
    if (!event) {
        fprintf(stderr, "no answer within 20 s\n");
        status = 1;
    } else if (rd_kafka_event_error(event)) {
        printf("error %s: %s\n", rd_kafka_err2name(rd_kafka_event_error(event)), rd_kafka_event_error_string(event));
    } else {
        const rd_kafka_DeleteConsumerGroupOffsets_result_t *result = rd_kafka_event_DeleteConsumerGroupOffsets_result(event);
        size_t count;
        const rd_kafka_group_result_t **groups = rd_kafka_DeleteConsumerGroupOffsets_result_groups(result, &count);
        for (size_t g = 0; g < count; g++) {
            const rd_kafka_error_t *error = rd_kafka_group_result_error(groups[g]);
            printf("group %s %s\n", rd_kafka_group_result_name(groups[g]), error ? rd_kafka_error_name(error) : "NONE");
            const rd_kafka_topic_partition_list_t *answered = rd_kafka_group_result_partitions(groups[g]);
            for (int i = 0; answered && i < answered->cnt; i++) {
                const rd_kafka_topic_partition_t *p = &answered->elems[i];
                printf("%s %d %s\n", p->topic, (int)p->partition, p->err ? rd_kafka_err2name(p->err) : "NONE");
            }
        }
    }
    if (event) rd_kafka_event_destroy(event);
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_DeleteConsumerGroupOffsets_destroy(request);
    rd_kafka_queue_destroy(queue);
    rd_kafka_destroy(rk);
    return status;
}
