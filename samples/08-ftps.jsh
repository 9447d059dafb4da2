// 08 - FTPS against a real vsftpd: AUTH TLS, login, PROT P, PASV, and a download over a data
// connection that resumes the control connection's TLS session (secureResuming).
// Run it with:  ./sockscript samples/08-ftps.jsh
//
// vsftpd refuses a data connection that does not resume the control connection's session
// ("522 SSL connection failed: session reuse required", its default require_ssl_reuse=YES), as
// most FTPS servers do. The script starts its own vsftpd on a free loopback port with a
// generated configuration and a throwaway certificate made with openssl, in a temp folder.
// Needs vsftpd and openssl:  sudo apt-get install -y vsftpd openssl

boolean haveVsftpd = Files.isExecutable(Path.of("/usr/sbin/vsftpd"));
boolean haveOpenssl = Files.isExecutable(Path.of("/usr/bin/openssl"));
String control = null;

// The FTP reply reader: a reply ends with a line "NNN text".
String reply() throws Exception {
  String line;
  do { line = sockets.read(control, Chunk.until("\r\n")); } while (line.length() < 4 || line.charAt(3) != ' ');
  System.out.print("S: " + line);
  return line;
}
String send(String command) throws Exception {
  System.out.println("C: " + (command.startsWith("PASS") ? "PASS ****" : command));
  sockets.write(control, command + "\r\n");
  return reply();
}
int free() throws Exception { try (var s = new java.net.ServerSocket(0)) { return s.getLocalPort(); } }

void walkthrough() throws Exception {
Path dir = Files.createTempDirectory("sockscript-ftps-");
Path root = Files.createDirectory(dir.resolve("root"));
Files.writeString(root.resolve("readme.txt"), "Hello from vsftpd, over a resumed TLS session!\n");
root.toFile().setWritable(false, false);                  // vsftpd refuses a writable chroot
Files.createDirectory(dir.resolve("empty"));
int port = free(), pasv = free();

Process openssl = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "ec",
    "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost", "-keyout", dir.resolve("key.pem").toString(),
    "-out", dir.resolve("cert.pem").toString()).redirectErrorStream(true).start();
openssl.getInputStream().readAllBytes();
openssl.waitFor();
boolean asRoot = "root".equals(System.getProperty("user.name"));
Files.write(dir.resolve("vsftpd.conf"), List.of("listen=YES", "listen_ipv6=NO",
    "listen_address=127.0.0.1", "listen_port=" + port, "background=NO", "anonymous_enable=YES",
    "anon_root=" + root, "local_enable=NO", "write_enable=NO", "ssl_enable=YES", "allow_anon_ssl=YES",
    "force_anon_logins_ssl=YES", "force_anon_data_ssl=YES", "rsa_cert_file=" + dir.resolve("cert.pem"),
    "rsa_private_key_file=" + dir.resolve("key.pem"), "ssl_ciphers=HIGH", "pasv_enable=YES",
    "pasv_address=127.0.0.1", "pasv_min_port=" + pasv, "pasv_max_port=" + pasv, "seccomp_sandbox=NO",
    "secure_chroot_dir=" + dir.resolve("empty"), "xferlog_enable=NO",
    asRoot ? "# as root, vsftpd drops to the ftp user itself" : "run_as_launching_user=YES"));
ProcessBuilder server = new ProcessBuilder("/usr/sbin/vsftpd", dir.resolve("vsftpd.conf").toString());
server.redirectErrorStream(true);
server.redirectOutput(dir.resolve("vsftpd.out").toFile());
Process vsftpd = server.start();
for (int i = 0; i < 100; i++) {                            // wait (at most 5 s) until it listens
  try (var probe = new java.net.Socket("127.0.0.1", port)) { break; } catch (java.io.IOException notYet) { Thread.sleep(50); }
}

sockets.setSslCertificates(List.of(dir.resolve("cert.pem")));   // trust our throwaway certificate
control = "localhost:" + port;

try {
  sockets.open(control);
  reply();
  send("AUTH TLS");
  sockets.secure(control);                                 // STARTTLS, FTP style
  send("USER anonymous");
  send("PASS guest");
  send("PBSZ 0");
  send("PROT P");                                           // data connections are encrypted too
  send("TYPE I");
  String pasvReply = send("PASV");
  var m = java.util.regex.Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)").matcher(pasvReply);
  m.find();
  String data = "localhost:" + (Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6))) + "|data";
  sockets.open(data);
  System.out.println("C: RETR readme.txt");
  sockets.write(control, "RETR readme.txt\r\n");
  sockets.secureResuming(data, control);                   // the data connection offers the control session
  reply();                                                  // 150 Opening BINARY mode data connection
  System.out.print("data: " + sockets.read(data, Chunk.untilEnd()));
  reply();                                                  // 226 Transfer complete
  System.out.println("control tlsInfo: " + sockets.tlsInfo(control));
  System.out.println("data    tlsInfo: " + sockets.tlsInfo(data));
  System.out.println("The data connection resumed the control connection's session: " + sockets.tlsInfo(data).resumed());
  send("QUIT");
} finally {
  sockets.close();
  vsftpd.destroy();
  vsftpd.waitFor();
  root.toFile().setWritable(true, false);
  try (var files = Files.walk(dir)) { files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); }
}
}

if (haveVsftpd && haveOpenssl) {
  walkthrough();
} else {
  System.out.println("This walkthrough needs vsftpd and openssl (sudo apt-get install -y vsftpd openssl): skipped");
}
System.out.println("done: FTPS walkthrough");
/exit
