package org.sockscript.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real vsftpd on 127.0.0.1 with a generated configuration: anonymous FTPS only ({@code AUTH
 * TLS} required for login and data), passive mode on loopback, and its default
 * {@code require_ssl_reuse=YES}, so a data connection that does not resume the control
 * connection's TLS session is refused. It serves one folder of files the test writes. Skips the
 * test, saying what to install, when vsftpd is missing or cannot run here.
 *
 * <p>As root, vsftpd drops to its {@code ftp} user and chroots itself. Without root it needs
 * {@code run_as_launching_user=YES}, a configuration file owned by the launching user (else
 * {@code 500 OOPS: config file not owned by correct user}) and every log file in a folder it may
 * write (else {@code 500 OOPS: failed to open xferlog log file}); all three are so here (checked
 * by hand as {@code nobody}: a download with curl worked).
 *
 * <pre>{@code
 * try (Vsftpd ftp = Vsftpd.start(chain, key, Map.of("file.txt", "hello"))) { ... ftp.port() ... }
 * }</pre>
 */
public final class Vsftpd implements AutoCloseable {

  static final String BINARY = "/usr/sbin/vsftpd";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final CapturedProcess process;
  private final int port;
  private final Path dir;

  private Vsftpd(CapturedProcess process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts vsftpd serving {@code files} (name to content) with this certificate chain and key. */
  public static Vsftpd start(Path chainPem, Path keyPem, java.util.Map<String, String> files)
      throws IOException, InterruptedException {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(BINARY)), "vsftpd is not installed: skipping"
        + " the FTPS test against a real vsftpd (.ci/run installs it: apt-get install -y vsftpd)");
    Path dir = Files.createTempDirectory("sockscript-vsftpd-");
    Path root = Files.createDirectory(dir.resolve("root"));
    for (var f : files.entrySet()) {
      Files.writeString(root.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
    }
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("r-xr-xr-x")); // no writable chroot
    Path empty = Files.createDirectory(dir.resolve("empty"));
    int port = Loopback.freePort();
    int pasv = Loopback.freePort();
    boolean root0 = "root".equals(System.getProperty("user.name"));
    Path conf = dir.resolve("vsftpd.conf");
    Files.write(conf, List.of("listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1",
        "listen_port=" + port, "background=NO", "anonymous_enable=YES", "anon_root=" + root,
        "local_enable=NO", "write_enable=NO", "ssl_enable=YES",
        "allow_anon_ssl=YES", "force_anon_logins_ssl=YES", "force_anon_data_ssl=YES",
        "rsa_cert_file=" + chainPem, "rsa_private_key_file=" + keyPem,
        "ssl_ciphers=HIGH", // vsftpd 3.0.3's default (DES-CBC3-SHA) is gone from OpenSSL 3
        "pasv_enable=YES", "pasv_address=127.0.0.1", "pasv_min_port=" + pasv, "pasv_max_port=" + pasv,
        "seccomp_sandbox=NO", "secure_chroot_dir=" + empty, "xferlog_enable=NO",
        "log_ftp_protocol=YES", "vsftpd_log_file=" + dir.resolve("log"), "dual_log_enable=YES", "xferlog_file=" + dir.resolve("xferlog"),
        root0 ? "# run as root: vsftpd drops to the ftp user itself" : "run_as_launching_user=YES"));
    CapturedProcess p = CapturedProcess.start(List.of(BINARY, conf.toString()));
    if (!Loopback.awaitListening(port, START_TIMEOUT, p::isAlive)) {
      p.close();
      Assumptions.abort("vsftpd cannot run here (" + (root0 ? "as root" : "without root") + "): " + p.output());
    }
    return new Vsftpd(p, port, dir);
  }

  /** The control port (127.0.0.1). */
  public int port() {
    return port;
  }

  /** What vsftpd logged of the FTP dialogue so far. */
  public String log() {
    try {
      Path log = dir.resolve("log");
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops vsftpd (its session processes end with their connections). */
  @Override
  public void close() {
    process.close();
  }
}
