// swift-tools-version: 6.0
import PackageDescription
import Foundation

// scripts/setup.sh exports KAFKAOPS_RDKAFKA_LIBDIR (the librdkafka >= 2.14.2 it found or built).
// The binaries get an rpath to it, so they run without LD_LIBRARY_PATH.
let rdkafkaLibdir = Context.environment["KAFKAOPS_RDKAFKA_LIBDIR"] ?? ""
let rpath: [LinkerSetting] = rdkafkaLibdir.isEmpty ? [] :
    [.unsafeFlags(["-Xlinker", "-rpath", "-Xlinker", rdkafkaLibdir])]

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "kafkaops",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kafkaops", targets: ["kafkaops"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `kafkaops watch`'s /metrics and /healthz: a small HTTP server on sockets, no SwiftNIO.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev"]), .brew(["librdkafka"])]),
        .target(name: "CNCurses", linkerSettings: [.linkedLibrary("ncursesw")]),
        // Reads broker certificates (subject, issuer, expiry) with OpenSSL, which librdkafka links too.
        .target(name: "CX509", linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]),
        // Record decoding: Apache Avro's C library, Google's protobuf C++ library (.proto text, dynamic messages,
        // JSON printing) and libcurl for the read-only schema registry client, each behind a plain C ABI.
        .target(name: "CAvro", linkerSettings: [.linkedLibrary("avro")]),
        .target(name: "CProtobuf", linkerSettings: [.linkedLibrary("protoc"), .linkedLibrary("protobuf"), .linkedLibrary("stdc++")]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "KafkaOpsCore", swiftSettings: strict),
        // Schemas (registry, folder) and the decoders of the wire format's Avro, Protobuf and JSON Schema records.
        .target(name: "KafkaOpsSchemas", dependencies: ["KafkaOpsCore", "CAvro", "CProtobuf", "CCurl"], swiftSettings: strict),
        // AWS MSK IAM: SigV4-signed OAUTHBEARER tokens and the AWS credential chain (SHA-256/HMAC from swift-crypto).
        .target(name: "KafkaOpsAWS", dependencies: ["KafkaOpsCore", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        .target(name: "KafkaOpsKafka", dependencies: ["KafkaOpsCore", "KafkaOpsAWS", "CRdKafka", "CX509"],
                swiftSettings: strict, linkerSettings: rpath),
        .target(name: "KafkaOpsDemo", dependencies: ["KafkaOpsCore"], swiftSettings: strict),
        // Creating new files exclusively (undo files, exported plans), for the CLI and the console.
        .target(name: "KafkaOpsFiles", dependencies: ["KafkaOpsCore"], swiftSettings: strict),
        .target(name: "KafkaOpsTUI", dependencies: ["KafkaOpsCore", "KafkaOpsFiles", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        // `kafkaops watch`: the refresh loop, the metrics it serves (FlyingFox) and the alerts it posts (CCurl).
        .target(name: "KafkaOpsWatch", dependencies: ["KafkaOpsCore", "CCurl",
                                                      .product(name: "FlyingFox", package: "FlyingFox")],
                swiftSettings: strict),
        .target(name: "KafkaOpsTerminal", dependencies: ["KafkaOpsTUI", "CNCurses"], swiftSettings: strict),
        .executableTarget(
            name: "kafkaops",
            dependencies: [
                "KafkaOpsCore", "KafkaOpsKafka", "KafkaOpsAWS", "KafkaOpsDemo", "KafkaOpsTUI", "KafkaOpsTerminal", "KafkaOpsFiles", "KafkaOpsSchemas", "KafkaOpsWatch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict, linkerSettings: rpath,
            plugins: ["VersionStamp"]),
        // The version comes from the VERSION file (scripts/package.sh names the packages with it).
        .plugin(name: "VersionStamp", capability: .buildTool()),
        // Figures for the speed and memory targets (scripts/bench.sh); not part of the product.
        .executableTarget(name: "kafkaops-bench",
                          dependencies: ["KafkaOpsCore", "KafkaOpsKafka", "KafkaOpsDemo", "KafkaOpsTUI"],
                          swiftSettings: strict, linkerSettings: rpath),
        // Test helpers shared by the test targets (the tansu broker harness); not part of the product.
        .target(name: "TestSupport", dependencies: ["KafkaOpsCore"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "KafkaOpsCoreTests", dependencies: ["KafkaOpsCore"], swiftSettings: strict),
        .testTarget(name: "KafkaOpsKafkaTests", dependencies: ["KafkaOpsKafka", "KafkaOpsCore", "KafkaOpsDemo", "TestSupport"],
                    swiftSettings: strict, linkerSettings: rpath),
        .testTarget(name: "KafkaOpsAWSTests", dependencies: ["KafkaOpsAWS", "TestSupport"],
                    exclude: ["Resources"], swiftSettings: strict),
        .testTarget(name: "KafkaOpsSchemasTests", dependencies: ["KafkaOpsSchemas", "KafkaOpsCore", "KafkaOpsKafka", "TestSupport"],
                    swiftSettings: strict, linkerSettings: rpath),
        .testTarget(name: "KafkaOpsDemoTests", dependencies: ["KafkaOpsDemo", "KafkaOpsCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "KafkaOpsTUITests", dependencies: ["KafkaOpsTUI", "KafkaOpsCore", "KafkaOpsDemo", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "KafkaOpsWatchTests", dependencies: ["KafkaOpsWatch", "KafkaOpsCore", "KafkaOpsDemo"], swiftSettings: strict),
        .testTarget(name: "kafkaopsTests", dependencies: ["kafkaops", "KafkaOpsCore", "KafkaOpsKafka", "KafkaOpsDemo", "TestSupport"],
                    swiftSettings: strict, linkerSettings: rpath),
    ],
    cxxLanguageStandard: .cxx17
)
