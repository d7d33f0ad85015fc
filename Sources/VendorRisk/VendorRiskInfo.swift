/// Facts about this build of the library that other parts (the User-Agent, `--version`) share.
public enum VendorRiskInfo {
    /// The release version; the HTTP fetcher sends it as `User-Agent: vendor-risk/<version>`.
    public static let version = "0.1.0"
}
