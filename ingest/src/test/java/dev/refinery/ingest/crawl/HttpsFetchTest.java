package dev.refinery.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS over the pinned address: the socket goes to the checked IP, while TLS still presents the URL's host
 * (SNI) and checks the certificate against it. The certificate is made here with the JDK's keytool.
 */
class HttpsFetchTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  @TempDir Path tmp;

  @Test
  void tlsChecksTheUrlHostWhileConnectingToThePinnedAddress() throws Exception {
    Path keystore = tmp.resolve("site.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "site", "-keyalg", "EC", "-dname", "CN=site.test", "-ext", "SAN=dns:site.test",
        "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
        .redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    Assumptions.assumeTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool failed");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keystore.toFile())) {
      ks.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);

    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 4);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/", e -> LoopbackSite.send(e, 200, "text/plain", "over TLS to " + e.getRequestHeaders()
        .getFirst("Host")));
    server.start();
    try {
      int port = server.getAddress().getPort();
      HttpFetcher fetcher = new HttpFetcher("RefineryBot/0.1", 2000, 2000, 10000, clientContext.getSocketFactory());
      InetAddress pinned = InetAddress.getByName("127.0.0.1");
      FetchedResponse ok = fetcher.get(new Destination(URI.create("https://site.test:" + port + "/"), "site.test",
          port, true, pinned), 1 << 20);
      assertEquals(200, ok.status());
      assertEquals("over TLS to site.test:" + port, new String(ok.body(), StandardCharsets.UTF_8));
      // same address, same certificate, another name: the certificate does not name it, so no exchange
      assertThrows(SSLException.class, () -> fetcher.get(new Destination(URI.create("https://other.test:" + port + "/"),
          "other.test", port, true, pinned), 1 << 20));
    } finally {
      server.stop(0);
    }
  }
}
