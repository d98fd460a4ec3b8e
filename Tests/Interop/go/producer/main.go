// Command producer is a producer in the shape of the seed's Go apps: a sarama SyncProducer that
// waits for all replicas, picks partitions at random and is left at sarama's default protocol
// version unless -version names one. It relies on the topic being created automatically.
//
// It sends -count records whose values are "<prefix>-<i>" and prints one line per record,
// "produced <value> partition <p> offset <o>", then "produced <count> records".
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/Shopify/sarama"
)

func main() {
	brokers := flag.String("brokers", "127.0.0.1:9092", "bootstrap brokers, comma-separated")
	topic := flag.String("topic", "interop", "the topic to produce to (created automatically)")
	count := flag.Int("count", 10, "how many records to send")
	prefix := flag.String("prefix", "record", "values are <prefix>-<i>")
	version := flag.String("version", "", "Kafka version sarama speaks, e.g. 2.1.0 (default: sarama's own)")
	flag.Parse()

	config := sarama.NewConfig()
	config.ClientID = "interop-producer"
	config.Producer.RequiredAcks = sarama.WaitForAll
	config.Producer.Partitioner = sarama.NewRandomPartitioner
	config.Producer.Return.Successes = true
	if *version != "" {
		parsed, err := sarama.ParseKafkaVersion(*version)
		if err != nil {
			fail("bad -version: %v", err)
		}
		config.Version = parsed
	}

	producer, err := sarama.NewSyncProducer(strings.Split(*brokers, ","), config)
	if err != nil {
		fail("cannot start the producer: %v", err)
	}
	for i := 0; i < *count; i++ {
		value := fmt.Sprintf("%s-%d", *prefix, i)
		partition, offset, err := producer.SendMessage(&sarama.ProducerMessage{
			Topic: *topic,
			Key:   sarama.StringEncoder(fmt.Sprintf("key-%d", i)),
			Value: sarama.StringEncoder(value),
		})
		if err != nil {
			producer.Close()
			fail("cannot send %s: %v", value, err)
		}
		fmt.Printf("produced %s partition %d offset %d\n", value, partition, offset)
	}
	if err := producer.Close(); err != nil {
		fail("cannot close the producer: %v", err)
	}
	fmt.Printf("produced %d records\n", *count)
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "producer: "+format+"\n", args...)
	os.Exit(1)
}
