public import AWSBackupClient
public import BackupJobs
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A local AWS Backup serving `ListBackupJobs`, `ListCopyJobs` and `ListRestoreJobs`: real
/// HTTP/1.1 on loopback, SigV4 verified, filters and opaque page tokens as AWS has them, faults
/// on demand (the same for every operation).
///
/// ```swift
/// let emulator = try await BackupEmulator.start(EmulatorConfiguration(jobs: jobs, credentials: [key]))
/// // Sign `GET /backup-jobs/?maxResults=100` with `key` for service "backup" (Host:
/// // `emulator.hostHeader`) and send it to `emulator.baseURL + "/backup-jobs/?maxResults=100"`.
/// emulator.inject(.throttling, onRequest: 3)
/// // ...
/// await emulator.stop()
/// ```
///
/// It runs on NIO's shared event loop group. Every method may be called from any task while
/// requests are being served.
public final class BackupEmulator: Sendable {
    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT`, no trailing slash: the endpoint to give a client.
    public let baseURL: String
    /// The `Host` header value clients send (and sign): `127.0.0.1:PORT`.
    public let hostHeader: String
    /// What each operation serves, one catalog per kind in `RecordKind` order (empty for a kind
    /// the configuration gave none).
    public let catalogs: [RecordCatalog]
    /// The backup jobs served.
    public var catalog: RecordCatalog { catalog(of: .backupJob) }

    public func catalog(of kind: RecordKind) -> RecordCatalog {
        catalogs.first { $0.kind == kind } ?? RecordCatalog(empty: kind)
    }

    private let service: ListService
    private let serverChannel: any Channel
    private let connections: ConnectionRegistry
    private let stopped = Mutex(false)

    private init(service: ListService, serverChannel: any Channel, connections: ConnectionRegistry, port: Int, host: String) {
        self.service = service
        self.serverChannel = serverChannel
        self.connections = connections
        self.port = port
        self.catalogs = service.catalogs
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        self.hostHeader = authority
        self.baseURL = "http://\(authority)"
    }

    /// Binds and starts serving; returns once the port is open.
    public static func start(_ configuration: EmulatorConfiguration) async throws -> BackupEmulator {
        let service = ListService(configuration)
        let registry = ConnectionRegistry()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                service.connectionAccepted()
                registry.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(EmulatorHTTPHandler(service: service))
                }
            }
        let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw EmulatorStartError(message: "the server socket has no local port")
        }
        return BackupEmulator(service: service, serverChannel: channel, connections: registry, port: port, host: configuration.host)
    }

    /// Stops listening and closes every open connection (in-flight responses are cut).
    /// Calling it again does nothing.
    public func stop() async {
        let alreadyStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        try? await serverChannel.close()
        let open = connections.channels.withLock { Array($0.values) }
        for channel in open {
            try? await channel.close()
        }
    }

    // MARK: Observing

    public var statistics: EmulatorStatistics { service.statistics }

    /// Zeroes every counter but `connections`.
    public func resetStatistics() { service.resetStatistics() }

    /// How many requests have arrived: the next one is number `requestsReceived + 1`.
    public var requestsReceived: Int { service.requestsReceived }

    // MARK: Changing behaviour while running

    public var faults: FaultPlan { service.faults }

    public func setFaults(_ plan: FaultPlan) { service.setFaults(plan) }

    public func updateFaults(_ change: (inout FaultPlan) -> Void) { service.updateFaults(change) }

    /// Scripts `fault` for request number `number` (1-based, every request counted).
    public func inject(_ fault: EmulatorFault, onRequest number: Int) {
        service.updateFaults { $0.scripted[number] = fault }
    }

    /// Scripts `fault` for the next `count` requests.
    public func injectNext(_ fault: EmulatorFault, count: Int = 1) {
        service.injectNext(fault, count: count)
    }

    public func setClock(_ clock: EmulatorClock) { service.setClock(clock) }

    /// Replaces the accepted keys (to rotate or expire credentials mid-run).
    public func setCredentials(_ credentials: [Credentials]) { service.setCredentials(credentials) }
}

public struct EmulatorStartError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The open connections, so `stop` can close them.
final class ConnectionRegistry: Sendable {
    let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = channels.withLock { $0.removeValue(forKey: id) }
        }
    }
}
