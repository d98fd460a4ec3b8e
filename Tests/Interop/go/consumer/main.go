// Command consumer is a consumer in the shape of the seed's Go apps: with -group, a sarama
// ConsumerGroup with the round-robin strategy at Kafka version 2.1.1 (or -version) that starts
// from the oldest offset, marks every record it reads and commits them as it leaves; without
// -group, a plain sarama Consumer reading every partition from the oldest offset (sarama's
// groups need 0.10.2 or later, so this is how its default version consumes).
//
// It reads until it has seen -count records, printing "consumed <value> partition <p> offset <o>"
// for each and "consumed <count> records" at the end, and exits 0; after -timeout, or when the
// group reported an error (such as a failed commit), it exits 1.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/Shopify/sarama"
)

func main() {
	brokers := flag.String("brokers", "127.0.0.1:9092", "bootstrap brokers, comma-separated")
	topic := flag.String("topic", "interop", "the topic to consume")
	count := flag.Int("count", 10, "how many records to read before leaving")
	group := flag.String("group", "", "consumer group id (none: a plain consumer of every partition)")
	version := flag.String("version", "2.1.1", "Kafka version sarama speaks; \"default\" leaves sarama's own")
	timeout := flag.Duration("timeout", 30*time.Second, "give up after this long")
	flag.Parse()

	config := sarama.NewConfig()
	config.ClientID = "interop-consumer"
	if *version != "default" {
		parsed, err := sarama.ParseKafkaVersion(*version)
		if err != nil {
			fail("bad -version: %v", err)
		}
		config.Version = parsed
	}
	config.Consumer.Offsets.Initial = sarama.OffsetOldest
	config.Consumer.Group.Rebalance.Strategy = sarama.BalanceStrategyRoundRobin
	config.Consumer.Return.Errors = true

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	seen := &tally{want: *count, done: cancel}
	addresses := strings.Split(*brokers, ",")
	if *group == "" {
		consumePlain(ctx, addresses, *topic, config, seen)
	} else {
		consumeGroup(ctx, addresses, *topic, *group, config, seen)
	}
	if n := seen.count(); n < *count {
		fail("timed out after %v having seen %d of %d records", *timeout, n, *count)
	}
	fmt.Printf("consumed %d records\n", *count)
}

// tally counts the records seen and ends the run once it has seen enough.
type tally struct {
	sync.Mutex
	want int
	seen int
	done context.CancelFunc
}

// record prints one record and says whether it was still wanted.
func (t *tally) record(message *sarama.ConsumerMessage) bool {
	t.Lock()
	defer t.Unlock()
	if t.seen >= t.want {
		return false
	}
	t.seen++
	fmt.Printf("consumed %s partition %d offset %d\n", message.Value, message.Partition, message.Offset)
	if t.seen == t.want {
		t.done()
	}
	return true
}

func (t *tally) count() int {
	t.Lock()
	defer t.Unlock()
	return t.seen
}

func consumePlain(ctx context.Context, brokers []string, topic string, config *sarama.Config, seen *tally) {
	consumer, err := sarama.NewConsumer(brokers, config)
	if err != nil {
		fail("cannot start the consumer: %v", err)
	}
	defer consumer.Close()
	partitions, err := consumer.Partitions(topic)
	if err != nil {
		fail("cannot list the partitions of %s: %v", topic, err)
	}
	var readers sync.WaitGroup
	for _, partition := range partitions {
		reader, err := consumer.ConsumePartition(topic, partition, sarama.OffsetOldest)
		if err != nil {
			fail("cannot consume %s/%d: %v", topic, partition, err)
		}
		readers.Add(1)
		go func(reader sarama.PartitionConsumer) {
			defer readers.Done()
			defer reader.AsyncClose()
			for {
				select {
				case message := <-reader.Messages():
					seen.record(message)
				case err := <-reader.Errors():
					fmt.Fprintf(os.Stderr, "consumer: %v\n", err)
				case <-ctx.Done():
					return
				}
			}
		}(reader)
	}
	readers.Wait()
}

func consumeGroup(ctx context.Context, brokers []string, topic string, group string, config *sarama.Config, seen *tally) {
	consumer, err := sarama.NewConsumerGroup(brokers, group, config)
	if err != nil {
		fail("cannot join group %s: %v", group, err)
	}
	// Committing happens as the session ends; a failed commit shows only here, so any error fails the run.
	var failures []error
	drained := make(chan struct{})
	go func() {
		for err := range consumer.Errors() {
			fmt.Fprintf(os.Stderr, "consumer: %v\n", err)
			failures = append(failures, err)
		}
		close(drained)
	}()
	handler := groupHandler{seen: seen}
	for ctx.Err() == nil {
		if err := consumer.Consume(ctx, []string{topic}, handler); err != nil {
			fail("group %s: %v", group, err)
		}
	}
	// Leaving the session commits every marked offset; Close leaves the group.
	if err := consumer.Close(); err != nil {
		fail("cannot leave group %s: %v", group, err)
	}
	<-drained
	if len(failures) > 0 {
		fail("group %s had %d errors (its offsets may not be committed), the first: %v", group, len(failures), failures[0])
	}
}

// groupHandler marks each record it is given, so that leaving commits it.
type groupHandler struct{ seen *tally }

func (groupHandler) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (groupHandler) Cleanup(sarama.ConsumerGroupSession) error { return nil }

func (h groupHandler) ConsumeClaim(session sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	for {
		select {
		case message, ok := <-claim.Messages():
			if !ok {
				return nil
			}
			if h.seen.record(message) {
				session.MarkMessage(message, "")
			}
		case <-session.Context().Done():
			return nil
		}
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "consumer: "+format+"\n", args...)
	os.Exit(1)
}
