import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<state>.lock`, so two cron runs never overlap. Released when the
/// process ends, however it ends.
public final class RunLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock without waiting; throws `.held` when another run has it.
    public init(statePath: String) throws(RunError) {
        path = statePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunError.lock(path: path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let held = errno == EWOULDBLOCK
            close(fd)
            if held { throw RunError.lockHeld(path: path) }
            throw RunError.lock(path: path, reason: String(cString: strerror(errno)))
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Why a run could not start or finish; each maps to an exit status of interfaces.md.
public enum RunError: Error, CustomStringConvertible {
    case lockHeld(path: String)
    case lock(path: String, reason: String)
    case configuration(String)
    case failed(String)

    public var description: String {
        switch self {
        case let .lockHeld(path): "\(path): another run holds the lock; nothing was done"
        case let .lock(path, reason): "\(path): cannot take the run lock: \(reason)"
        case let .configuration(message): message
        case let .failed(message): "the run failed, state unchanged: \(message)"
        }
    }

    /// 75 (EX_TEMPFAIL) when locked out, 2 for configuration, 1 for a failed run.
    public var exitStatus: Int32 {
        switch self {
        case .lockHeld: 75
        case .configuration: 2
        case .lock, .failed: 1
        }
    }
}
