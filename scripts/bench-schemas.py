#!/usr/bin/env python3
"""Helpers of `scripts/bench.sh schemas` (run with the broker venv's python, which has confluent-kafka):
  produce BOOTSTRAP REGISTRY TOPIC N FORMAT     N records of ~1 KB, FORMAT avro (AvroSerializer) or json (plain JSON)
  consume BOOTSTRAP REGISTRY TOPIC N            confluent-kafka's consumer with its AvroDeserializer: the last N records, seconds
  rate BOOTSTRAP REGISTRY TOPIC PER_SECOND SECS Avro records at a steady rate"""
import json, sys, time
from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_END
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer, AvroDeserializer
from confluent_kafka.serialization import SerializationContext, MessageField

SCHEMA = json.dumps({"type": "record", "name": "Event", "namespace": "bench", "fields": [
    {"name": "id", "type": "long"}, {"name": "customer", "type": ["null", "string"]},
    {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "payload", "type": "string"}, {"name": "error", "type": "string"}]})

def row(i):
    return {"id": i, "customer": "c%d" % (i % 97), "at": 1_800_000_000_000 + i, "payload": "x" * 900,
            "error": "org.apache.kafka.connect.errors.DataException: bad record %d" % (i % 13)}

def main():
    cmd, bootstrap, registry, topic = sys.argv[1:5]
    sr = SchemaRegistryClient({"url": registry})
    ctx = SerializationContext(topic, MessageField.VALUE)
    if cmd in ("produce", "rate"):
        p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "batch.size": 1 << 20})
        ser = AvroSerializer(sr, SCHEMA) if (cmd == "rate" or sys.argv[6] == "avro") else None
        enc = (lambda r: ser(r, ctx)) if ser else (lambda r: json.dumps(r).encode())
        if cmd == "produce":
            for i in range(int(sys.argv[5])):
                p.produce(topic, value=enc(row(i)))
                if i % 10000 == 0: p.poll(0)
        else:
            rate, secs = int(sys.argv[5]), float(sys.argv[6])
            start, i = time.time(), 0
            while time.time() - start < secs:
                due = int((time.time() - start) * rate)
                while i < due:
                    p.produce(topic, value=enc(row(i))); i += 1
                p.poll(0); time.sleep(0.01)
        p.flush(60)
    elif cmd == "consume":
        n = int(sys.argv[5])
        de = AvroDeserializer(sr)
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-unused", "enable.auto.commit": False})
        lo, hi = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
        t0 = time.perf_counter()
        c.assign([TopicPartition(topic, 0, max(lo, hi - n))])
        got = 0
        while got < min(n, hi - lo):
            for m in c.consume(1000, timeout=5):
                if m.error(): continue
                de(m.value(), ctx); got += 1
        print("%.3f" % (time.perf_counter() - t0))
        c.close()

main()
