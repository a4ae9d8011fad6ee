#!/usr/bin/env python3
"""A small schema registry for the tests, on loopback: the REST subset kafkaops reads and confluent-kafka's
serializers use (GET /schemas/ids/{id}[/versions], GET /subjects, /subjects/{s}/versions[/{v|latest}],
POST /subjects/{s}/versions (register), POST /subjects/{s} (look up)). In memory; plain HTTP, or HTTPS with
--cert/--key (client certificates checked with --client-ca); --basic USER:PASS requires basic auth;
--hang makes every GET of /schemas/ids/ wait forever (a registry that hangs); --ids-from N starts ids at N.
Writes the port it listens on to --port-file. Every request is appended to --log (method and path)."""
import argparse, json, ssl, threading, time, base64
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlparse, unquote

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--cert"); ap.add_argument("--key"); ap.add_argument("--client-ca")
ap.add_argument("--basic"); ap.add_argument("--hang", action="store_true")
ap.add_argument("--ids-from", type=int, default=1)
ap.add_argument("--log")
args = ap.parse_args()

lock = threading.Lock()
schemas = {}     # id -> {"schema", "schemaType", "references"}
subjects = {}    # subject -> [id, ...] (version = index + 1)
next_id = [args.ids_from]

def proto_text(schema):
    """A base64 FileDescriptorProto (what confluent-kafka's Python ProtobufSerializer sends) as .proto text, as
    Confluent's registry stores and serves it. Text that is already .proto is kept."""
    try:
        from google.protobuf import descriptor_pb2
        fdp = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(schema, validate=True))
    except Exception:
        return schema
    F = descriptor_pb2.FieldDescriptorProto
    names = {v: k[5:].lower() for k, v in F.Type.items()}
    out = ['syntax = "%s";' % (fdp.syntax or "proto2")]
    if fdp.package: out.append("package %s;" % fdp.package)
    out += ['import "%s";' % d for d in fdp.dependency]
    def message(m, indent):
        pad = "  " * indent
        lines = [pad + "message %s {" % m.name]
        for n in m.nested_type: lines += message(n, indent + 1)
        for e in m.enum_type:
            lines.append(pad + "  enum %s { " % e.name + " ".join("%s = %d;" % (v.name, v.number) for v in e.value) + " }")
        for f in m.field:
            t = f.type_name if f.type in (F.TYPE_MESSAGE, F.TYPE_ENUM) else names[f.type]
            label = "repeated " if f.label == F.LABEL_REPEATED else ("optional " if fdp.syntax != "proto3" else "")
            lines.append(pad + "  %s%s %s = %d;" % (label, t, f.name, f.number))
        lines.append(pad + "}")
        return lines
    for m in fdp.message_type: out += message(m, 0)
    return "\n".join(out) + "\n"

def canonical(body):
    return (body.get("schemaType", "AVRO").upper(), body["schema"], json.dumps(body.get("references", []), sort_keys=True))

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass

    def send(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorised(self):
        if args.log:
            with open(args.log, "a") as f: f.write(f"{self.command} {self.path}\n")
        if not args.basic: return True
        want = "Basic " + base64.b64encode(args.basic.encode()).decode()
        if self.headers.get("Authorization") == want: return True
        self.send(401, {"error_code": 40101, "message": "Unauthorized"})
        return False

    def version_entry(self, subject, v):
        sid = subjects[subject][v - 1]
        s = schemas[sid]
        out = {"subject": subject, "version": v, "id": sid, "schema": s["schema"]}
        if s["schemaType"] != "AVRO": out["schemaType"] = s["schemaType"]
        if s["references"]: out["references"] = s["references"]
        return out

    def do_GET(self):
        if not self.authorised(): return
        parts = [unquote(p) for p in urlparse(self.path).path.strip("/").split("/")]
        with lock:
            if parts[:2] == ["schemas", "ids"] and len(parts) >= 3:
                if args.hang:
                    lock.release()
                    try: time.sleep(3600)
                    finally: lock.acquire()
                sid = int(parts[2])
                if sid not in schemas: return self.send(404, {"error_code": 40403, "message": "Schema not found"})
                if len(parts) == 4 and parts[3] == "versions":
                    return self.send(200, [{"subject": s, "version": i + 1} for s, ids in subjects.items() for i, x in enumerate(ids) if x == sid])
                s = schemas[sid]
                out = {"schema": s["schema"]}
                if s["schemaType"] != "AVRO": out["schemaType"] = s["schemaType"]
                if s["references"]: out["references"] = s["references"]
                return self.send(200, out)
            if parts == ["subjects"]: return self.send(200, sorted(subjects))
            if parts[0] == "subjects" and len(parts) >= 3 and parts[2] == "versions":
                subject = parts[1]
                if subject not in subjects: return self.send(404, {"error_code": 40401, "message": "Subject not found"})
                if len(parts) == 3: return self.send(200, list(range(1, len(subjects[subject]) + 1)))
                v = len(subjects[subject]) if parts[3] in ("latest", "-1") else int(parts[3])
                if not 1 <= v <= len(subjects[subject]): return self.send(404, {"error_code": 40402, "message": "Version not found"})
                return self.send(200, self.version_entry(subject, v))
            if parts == ["config"] or (parts[0] == "config" and len(parts) == 2):
                return self.send(200, {"compatibilityLevel": "NONE"})
        self.send(404, {"error_code": 404, "message": "not found"})

    def do_POST(self):
        if not self.authorised(): return
        n = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(n) or b"{}")
        if body.get("schemaType", "AVRO").upper() == "PROTOBUF": body["schema"] = proto_text(body["schema"])
        parts = [unquote(p) for p in urlparse(self.path).path.strip("/").split("/")]
        with lock:
            if parts[0] == "subjects" and len(parts) in (2, 3):
                subject = parts[1]
                key = canonical(body)
                found = next((sid for sid, s in schemas.items() if canonical(s) == key), None)
                if len(parts) == 2:  # look up
                    if found is None or found not in subjects.get(subject, []):
                        return self.send(404, {"error_code": 40403, "message": "Schema not found"})
                    return self.send(200, self.version_entry(subject, subjects[subject].index(found) + 1))
                if found is None:
                    found = next_id[0]; next_id[0] += 1
                    schemas[found] = {"schema": body["schema"], "schemaType": body.get("schemaType", "AVRO").upper(),
                                      "references": body.get("references", [])}
                ids = subjects.setdefault(subject, [])
                if found not in ids: ids.append(found)
                out = self.version_entry(subject, ids.index(found) + 1)
                return self.send(200, out)
        self.send(404, {"error_code": 404, "message": "not found"})

srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
if args.cert:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    if args.client_ca:
        ctx.load_verify_locations(args.client_ca); ctx.verify_mode = ssl.CERT_REQUIRED
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(args.port_file + ".tmp", "w") as f: f.write(str(srv.server_address[1]))
import os; os.rename(args.port_file + ".tmp", args.port_file)
srv.serve_forever()
