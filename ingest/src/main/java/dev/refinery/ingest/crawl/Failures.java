package dev.refinery.ingest.crawl;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** A fetch failure in a few words a person understands (the summary groups by them). */
final class Failures {
  private Failures() {}

  static String describe(Exception e) {
    if (e instanceof DeadlineInputStream.FetchTimeout) {
      return e.getMessage();
    }
    if (e instanceof SocketTimeoutException) {
      String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      return m.contains("connect") ? "connect timed out (ingest.crawl.connect-timeout)"
          : "read timed out (ingest.crawl.read-timeout)";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof SSLException) {
      return "TLS error: " + e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
