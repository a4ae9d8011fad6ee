#!/usr/bin/env python3
"""Writes records with confluent-kafka's own serializers (an independent client) through the test registry
into a topic, and prints what it wrote as JSON lines ({"offset", "value"}), for the tests to compare
field by field with what kafkaops decodes.
usage: schema_fixtures.py BOOTSTRAP REGISTRY_URL TOPIC FORMAT   FORMAT: avro | protobuf | json"""
import json, sys, datetime, decimal, uuid
from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.serialization import SerializationContext, MessageField

bootstrap, registry, topic, fmt = sys.argv[1:5]
sr = SchemaRegistryClient({"url": registry})
producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 0})
ctx = SerializationContext(topic, MessageField.VALUE)
written = []

def send(value_bytes, shown):
    producer.produce(topic, value=value_bytes, key=b"k%d" % len(written))
    producer.flush(10)
    written.append(shown)

if fmt == "avro":
    from confluent_kafka.schema_registry.avro import AvroSerializer
    schema = json.dumps({
        "type": "record", "name": "Order", "namespace": "com.acme",
        "fields": [
            {"name": "id", "type": "long"},
            {"name": "customer", "type": ["null", "string"], "default": None},
            {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
            {"name": "placed", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "day", "type": {"type": "int", "logicalType": "date"}},
            {"name": "ref", "type": {"type": "string", "logicalType": "uuid"}},
            {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
            {"name": "tags", "type": {"type": "array", "items": "string"}},
            {"name": "note", "type": "string"},
        ]})
    ser = AvroSerializer(sr, schema)
    rows = [
        dict(id=42, customer="ada", amount=decimal.Decimal("1234.50"), placed=datetime.datetime(2026, 12, 7, 9, 30, 0, 123000, tzinfo=datetime.timezone.utc),
             day=datetime.date(2026, 12, 7), ref=uuid.UUID("6f1c0d2e-1b7a-4c3e-9a51-0c4e2b7d9f10"), status="PAID", tags=["a", "b"], note="plain"),
        dict(id=-7, customer=None, amount=decimal.Decimal("-0.05"), placed=datetime.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=datetime.timezone.utc),
             day=datetime.date(1970, 1, 1), ref=uuid.UUID("00000000-0000-0000-0000-000000000001"), status="NEW", tags=[], note="bad \x1b]52;c;ZXZpbA==\x07 input"),
    ]
    for r in rows:
        shown = dict(r, amount=str(r["amount"]), placed=r["placed"].strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (r["placed"].microsecond // 1000),
                     day=r["day"].isoformat(), ref=str(r["ref"]))
        send(ser(r, ctx), shown)
elif fmt == "json":
    from confluent_kafka.schema_registry.json_schema import JSONSerializer
    schema = json.dumps({"$schema": "http://json-schema.org/draft-07/schema#", "title": "Payment", "type": "object",
                         "properties": {"id": {"type": "integer"}, "payer": {"type": "string"}, "lines": {"type": "array", "items": {"type": "number"}}},
                         "required": ["id"]})
    ser = JSONSerializer(schema, sr)
    for r in [{"id": 1, "payer": "grace", "lines": [1.5, 2]}, {"id": 9007199254740993, "payer": "x"}]:
        send(ser(r, ctx), r)
elif fmt == "protobuf":
    # A nested message with an import: shop/orders.proto imports common/money.proto; Order is the second
    # top-level message (message indexes [1]). Built as descriptors (no generated code, no protoc).
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    from confluent_kafka.schema_registry.protobuf import ProtobufSerializer
    F = descriptor_pb2.FieldDescriptorProto
    def field(m, name, number, type_, type_name=None, repeated=False):
        f = m.field.add(name=name, number=number, type=type_,
                        label=F.LABEL_REPEATED if repeated else F.LABEL_OPTIONAL)
        if type_name: f.type_name = type_name
    money = descriptor_pb2.FileDescriptorProto(name="common/money.proto", package="common", syntax="proto3")
    m = money.message_type.add(name="Money")
    field(m, "currency", 1, F.TYPE_STRING); field(m, "units", 2, F.TYPE_INT64); field(m, "nanos", 3, F.TYPE_INT32)
    orders = descriptor_pb2.FileDescriptorProto(name="shop/orders.proto", package="shop", syntax="proto3", dependency=["common/money.proto"])
    ping = orders.message_type.add(name="Ping"); field(ping, "n", 1, F.TYPE_INT32)
    o = orders.message_type.add(name="Order")
    field(o, "id", 1, F.TYPE_INT64); field(o, "total", 2, F.TYPE_MESSAGE, ".common.Money")
    line = o.nested_type.add(name="Line"); field(line, "sku", 1, F.TYPE_STRING); field(line, "qty", 2, F.TYPE_INT32)
    field(o, "lines", 3, F.TYPE_MESSAGE, ".shop.Order.Line", repeated=True); field(o, "note", 4, F.TYPE_STRING)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(money); pool.Add(orders)
    Order = message_factory.GetMessageClass(pool.FindMessageTypeByName("shop.Order"))
    ser = ProtobufSerializer(Order, sr, {"use.deprecated.format": False})
    msg = Order(id=5, note="n")
    msg.total.currency = "EUR"; msg.total.units = 12; msg.total.nanos = 500000000
    l = msg.lines.add(); l.sku = "A-1"; l.qty = 3
    send(ser(msg, ctx), {"id": "5", "total": {"currency": "EUR", "units": "12", "nanos": 500000000},
                         "lines": [{"sku": "A-1", "qty": 3}], "note": "n"})
else:
    sys.exit("unknown format " + fmt)

for i, w in enumerate(written):
    print(json.dumps({"index": i, "value": w}))
