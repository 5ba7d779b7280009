import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks a standalone master (`spark://HOST:PORT[,HOST:PORT…]`) answers
/// before a job is submitted to it: spark-submit itself retries an absent
/// master for about a minute before it gives up with a long log.
public enum SparkMaster {
    /// Throws `masterUnreachable` when no listed host accepts a connection
    /// within `timeout` seconds; other masters (local, yarn, k8s) pass.
    public static func check(_ master: String, timeout: Int32 = 5) throws {
        guard master.hasPrefix("spark://") else {
            guard master.hasPrefix("local") || master == "yarn" || master.hasPrefix("k8s://") || master.hasPrefix("mesos://") else {
                throw SparkError.unsupported("--master \(master) is not a Spark master: give local[N], spark://HOST:PORT, yarn or k8s://HOST:PORT")
            }
            return
        }
        var reasons: [String] = []
        for address in master.dropFirst("spark://".count).split(separator: ",") {
            let parts = address.split(separator: ":")
            guard parts.count == 2, let port = UInt16(parts[1]) else {
                throw SparkError.unsupported("--master \(master): each address must be HOST:PORT, not \(address)")
            }
            if let reason = connect(host: String(parts[0]), port: port, timeout: timeout) { reasons.append("\(address): \(reason)") } else { return }
        }
        throw SparkError.masterUnreachable(master: master, reason: reasons.joined(separator: "; "))
    }

    /// nil when `host:port` accepts a TCP connection in time, else why not.
    private static func connect(host: String, port: UInt16, timeout: Int32) -> String? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return "unknown host" }
        defer { freeaddrinfo(list) }
        var reason = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            defer { entry = info.pointee.ai_next }
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return nil }
            guard errno == EINPROGRESS else { reason = String(cString: strerror(errno)); continue }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&poller, 1, timeout * 1000) == 1 else { reason = "no answer in \(timeout) s"; continue }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return nil }
            reason = String(cString: strerror(error))
        }
        return reason
    }
}
