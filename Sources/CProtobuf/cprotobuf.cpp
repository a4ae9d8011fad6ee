#include "cprotobuf.h"

#include <google/protobuf/compiler/parser.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace pb = google::protobuf;

namespace {

char *dup(const std::string &s) {
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p) return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = 0;
    return p;
}

std::string oneLine(std::string s) {
    for (char &c : s) if (c == '\n' || c == '\r') c = ' ';
    return s;
}

class FirstError : public pb::io::ErrorCollector {
public:
    std::string text;
    void AddError(int line, pb::io::ColumnNumber column, const std::string &message) override {
        if (text.empty()) text = "line " + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
    }
};

class PoolError : public pb::DescriptorPool::ErrorCollector {
public:
    std::string text;
    void AddError(const std::string &filename, const std::string &element, const pb::Message *, ErrorLocation,
                  const std::string &message) override {
        if (text.empty()) text = filename + ": " + (element.empty() ? "" : element + ": ") + message;
    }
};

bool validUTF8(const std::string &s) {
    size_t i = 0, n = s.size();
    while (i < n) {
        unsigned char c = s[i];
        size_t more;
        if (c < 0x80) more = 0;
        else if ((c >> 5) == 6) more = 1;
        else if ((c >> 4) == 14) more = 2;
        else if ((c >> 3) == 30) more = 3;
        else return false;
        if (i + more >= n && more > 0) return false;
        for (size_t k = 1; k <= more; k++) if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
        i += more + 1;
    }
    return true;
}

void jsonString(std::string &out, const std::string &s) {
    out += '"';
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') { out += '\\'; out += static_cast<char>(c); }
        else if (c < 0x20) { char esc[8]; std::snprintf(esc, sizeof esc, "\\u%04x", c); out += esc; }
        else out += static_cast<char>(c);
    }
    out += '"';
}

void hexString(std::string &out, const std::string &s) {
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (unsigned char c : s) { out += hex[c >> 4]; out += hex[c & 15]; }
    out += '"';
}

void rawJSON(std::string &out, const pb::UnknownFieldSet &set, int depth);

void rawValue(std::string &out, const pb::UnknownField &f, int depth) {
    switch (f.type()) {
    case pb::UnknownField::TYPE_VARINT: out += std::to_string(f.varint()); break;
    case pb::UnknownField::TYPE_FIXED32: out += std::to_string(f.fixed32()); break;
    case pb::UnknownField::TYPE_FIXED64: out += std::to_string(f.fixed64()); break;
    case pb::UnknownField::TYPE_LENGTH_DELIMITED: {
        const std::string &s = f.length_delimited();
        pb::UnknownFieldSet nested;
        if (depth < 64 && !s.empty() && nested.ParseFromArray(s.data(), static_cast<int>(s.size())) && nested.field_count() > 0) {
            rawJSON(out, nested, depth + 1);
        } else if (validUTF8(s)) {
            jsonString(out, s);
        } else {
            hexString(out, s);
        }
        break;
    }
    case pb::UnknownField::TYPE_GROUP: rawJSON(out, f.group(), depth + 1); break;
    }
}

/* Field numbers in the order they first appear; a number seen more than once is an array. */
void rawJSON(std::string &out, const pb::UnknownFieldSet &set, int depth) {
    out += '{';
    std::vector<int> done;
    bool first = true;
    for (int i = 0; i < set.field_count(); i++) {
        int number = set.field(i).number();
        bool seen = false;
        for (int d : done) if (d == number) { seen = true; break; }
        if (seen) continue;
        done.push_back(number);
        std::vector<int> same;
        for (int j = i; j < set.field_count(); j++) if (set.field(j).number() == number) same.push_back(j);
        if (!first) out += ',';
        first = false;
        out += '"' + std::to_string(number) + "\":";
        if (same.size() == 1) {
            rawValue(out, set.field(i), depth);
        } else {
            out += '[';
            for (size_t k = 0; k < same.size(); k++) { if (k) out += ','; rawValue(out, set.field(same[k]), depth); }
            out += ']';
        }
    }
    out += '}';
}

bool parseProto(const std::string &name, const char *text, size_t len, pb::FileDescriptorProto *out, std::string *error) {
    pb::io::ArrayInputStream input(text, static_cast<int>(len));
    FirstError errors;
    pb::io::Tokenizer tokenizer(&input, &errors);
    pb::compiler::Parser parser;
    parser.RecordErrorsTo(&errors);
    if (!parser.Parse(&tokenizer, out) || !errors.text.empty()) {
        *error = name + " does not parse: " + errors.text;
        return false;
    }
    out->set_name(name);
    return true;
}

int decode(const char *const *names, const char *const *texts, const size_t *text_lens, size_t nfiles,
           const int32_t *indexes, size_t nindexes, const unsigned char *data, size_t len,
           std::string *json, std::string *type, std::string *unknown, std::string *error) {
    if (nfiles == 0) { *error = "no .proto schema"; return 1; }
    pb::SimpleDescriptorDatabase db;
    std::vector<std::string> wellKnown;
    for (size_t i = 0; i < nfiles; i++) {
        pb::FileDescriptorProto file;
        if (!parseProto(names[i], texts[i], text_lens[i], &file, error)) return 1;
        for (const std::string &dep : file.dependency()) {
            if (dep.rfind("google/protobuf/", 0) == 0) wellKnown.push_back(dep);
        }
        if (!db.Add(file)) { *error = std::string(names[i]) + " is given twice"; return 1; }
    }
    // Imports of Google's well-known types (timestamp.proto, ...) are not sent by the registry: the library has them.
    for (size_t i = 0; i < wellKnown.size(); i++) {
        pb::FileDescriptorProto known;
        if (db.FindFileByName(wellKnown[i], &known)) continue;
        const pb::FileDescriptor *f = pb::DescriptorPool::generated_pool()->FindFileByName(wellKnown[i]);
        if (!f) continue;  // the pool's build names the missing import
        f->CopyTo(&known);
        for (const std::string &dep : known.dependency()) wellKnown.push_back(dep);
        db.Add(known);
    }
    PoolError poolErrors;
    pb::DescriptorPool pool(&db, &poolErrors);
    const pb::FileDescriptor *file = pool.FindFileByName(names[nfiles - 1]);
    if (!file) {
        *error = "the .proto schema does not build: " + (poolErrors.text.empty() ? std::string("an import is missing") : poolErrors.text);
        return 1;
    }
    const pb::Descriptor *message = nullptr;
    std::vector<int32_t> path(indexes, indexes + nindexes);
    if (path.empty()) path.push_back(0);
    for (size_t i = 0; i < path.size(); i++) {
        int32_t k = path[i];
        int count = i == 0 ? file->message_type_count() : message->nested_type_count();
        if (k < 0 || k >= count) {
            *error = "message index " + std::to_string(k) + " points nowhere (" +
                     (i == 0 ? std::string("the schema has ") : message->full_name() + " has ") + std::to_string(count) +
                     (i == 0 ? " top-level message(s))" : " nested message(s))");
            return 2;
        }
        message = i == 0 ? file->message_type(k) : message->nested_type(k);
    }
    pb::DynamicMessageFactory factory(&pool);
    const pb::Message *prototype = factory.GetPrototype(message);
    if (!prototype) { *error = "no message type for " + message->full_name(); return 1; }
    std::unique_ptr<pb::Message> m(prototype->New());
    if (len > static_cast<size_t>(INT32_MAX) || !m->ParsePartialFromArray(data, static_cast<int>(len))) {
        *error = "the Protobuf body does not decode as " + message->full_name() + " (truncated or corrupt)";
        return 3;
    }
    pb::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;
    auto status = pb::util::MessageToJsonString(*m, json, options);
    if (!status.ok()) { *error = "the message cannot be shown as JSON: " + std::string(status.message()); return 3; }
    *type = message->full_name();
    unknown->clear();
    rawJSON(*unknown, m->GetReflection()->GetUnknownFields(*m), 0);
    return 0;
}

}  // namespace

extern "C" int kafkaops_protobuf_decode(const char *const *names, const char *const *texts, const size_t *text_lens, size_t nfiles,
                                        const int32_t *indexes, size_t nindexes, const unsigned char *data, size_t len,
                                        char **out_json, char **out_type, char **out_unknown, char **out_error) {
    *out_json = *out_type = *out_unknown = *out_error = nullptr;
    try {
        std::string json, type, unknown, error;
        int rc = decode(names, texts, text_lens, nfiles, indexes, nindexes, data, len, &json, &type, &unknown, &error);
        if (rc != 0) { *out_error = dup(oneLine(error)); return rc; }
        *out_json = dup(json); *out_type = dup(type); *out_unknown = dup(unknown);
        if (!*out_json || !*out_type || !*out_unknown) return 4;
        return 0;
    } catch (const std::bad_alloc &) {
        return 4;
    } catch (const std::exception &e) {
        *out_error = dup(oneLine(std::string("protobuf: ") + e.what()));
        return 3;
    }
}

extern "C" int kafkaops_protobuf_decode_raw(const unsigned char *data, size_t len, char **out_json, char **out_text, char **out_error) {
    *out_json = *out_text = *out_error = nullptr;
    try {
        pb::UnknownFieldSet set;
        if (len > static_cast<size_t>(INT32_MAX) || !set.ParseFromArray(data, static_cast<int>(len))) {
            *out_error = dup("the bytes are not Protobuf");
            return 3;
        }
        std::string json, text;
        rawJSON(json, set, 0);
        pb::TextFormat::PrintUnknownFieldsToString(set, &text);
        *out_json = dup(json); *out_text = dup(text);
        return (*out_json && *out_text) ? 0 : 4;
    } catch (const std::bad_alloc &) {
        return 4;
    } catch (const std::exception &e) {
        *out_error = dup(oneLine(std::string("protobuf: ") + e.what()));
        return 3;
    }
}

extern "C" void kafkaops_protobuf_free(void *p) { std::free(p); }
