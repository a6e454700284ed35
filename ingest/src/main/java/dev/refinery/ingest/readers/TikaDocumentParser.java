package dev.refinery.ingest.readers;

import java.io.InputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.sax.BodyContentHandler;

/**
 * Tika for one partition: one AutoDetectParser reused across documents, each parse on a worker thread
 * with a time limit and a heap limit (a parser stuck on a hostile file, or filling the heap, is stopped and
 * the worker and parser replaced). OCR is
 * off: scanned pages without a text layer come out empty and are rejected as such.
 */
public final class TikaDocumentParser implements AutoCloseable {
  private final AtomicReference<Thread> workerThread = new AtomicReference<>();
  private AutoDetectParser parser = new AutoDetectParser();
  private final long timeoutMillis;
  private final int maxChars;
  private ExecutorService worker = newWorker();
  /** How often a running parse is checked against the time limit and the heap. */
  private static final long POLL_MILLIS = 50;
  /** Share of the maximum heap that live data may fill while a document is parsed. */
  private final double heapShare;

  /** Text and content type of a parsed document, or the reason it could not be parsed. */
  public record Parsed(String text, String contentType, boolean truncated, String reason, String detail) {}

  public TikaDocumentParser(long timeoutMillis, double heapShare, int maxChars) {
    this.timeoutMillis = timeoutMillis;
    this.heapShare = heapShare;
    this.maxChars = maxChars;
    // Loading Tika's OOXML parser switches POI's JVM-wide zip-bomb check off; switch it back on, so a DOCX/XLSX
    // entry inflating more than 100x (POI's default) is rejected before it is expanded in memory
    ZipSecureFile.setMinInflateRatio(0.01);
  }

  /** Parses {@code in} (closed by the caller); {@code name} helps type detection. */
  public Parsed parse(InputStream in, String name) {
    Future<Parsed> f = worker.submit(() -> parseNow(in, name));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      while (true) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        try {
          return f.get(Math.max(1, Math.min(POLL_MILLIS, left)), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (System.nanoTime() >= deadline) {
            return abandon(f, "parser time-out", "no result after " + timeoutMillis + " ms");
          }
          if (heapExhausted()) {
            return abandon(f, "parser exceeded memory", "the heap stayed over " + Math.round(heapShare * 100)
                + "% of its maximum after a collection while this document was parsed");
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("parser time-out", "interrupted");
    } catch (ExecutionException e) {
      return failed("corrupt or unreadable document", String.valueOf(e.getCause()));
    }
  }

  /** Stops the parse behind {@code f} and replaces the worker and the parser. */
  private Parsed abandon(Future<Parsed> f, String reason, String detail) {
    f.cancel(true);
    worker.shutdownNow();
    boolean stopped = stop(workerThread.get());
    worker = newWorker();
    parser = new AutoDetectParser();
    return failed(reason, detail + (stopped ? "" : "; its thread ignores interrupts and could not be stopped on this JVM"));
  }

  /**
   * Whether the heap is nearly full of live data: a parser replaying a hostile PDF's content streams can fill
   * it within seconds, faster than the time limit, and the OutOfMemoryError then lands in another thread (a
   * Spark task, the heartbeat) and kills the executor. Checked between polls; the collection runs only when
   * the heap already looks full, so it costs nothing on ordinary documents.
   */
  private boolean heapExhausted() {
    Runtime r = Runtime.getRuntime();
    if (r.totalMemory() - r.freeMemory() < heapShare * r.maxMemory()) {
      return false;
    }
    System.gc();
    return r.totalMemory() - r.freeMemory() >= heapShare * r.maxMemory();
  }

  private Parsed parseNow(InputStream in, String name) {
    Metadata metadata = new Metadata();
    metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
    BodyContentHandler handler = new BodyContentHandler(maxChars);
    ParseContext context = new ParseContext();
    TesseractOCRConfig ocr = new TesseractOCRConfig();
    ocr.setSkipOcr(true);
    context.set(TesseractOCRConfig.class, ocr);
    boolean truncated = false;
    try {
      parser.parse(in, handler, metadata, context);
    } catch (EncryptedDocumentException e) {
      return failed("encrypted document (password protected)", e.getMessage());
    } catch (ZeroByteFileException e) {
      return failed("empty file", "0 bytes");
    } catch (Exception e) {
      if (WriteLimitReachedException.isWriteLimitReached(e)) {
        truncated = true;
      } else if (isEncryption(e)) {
        return failed("encrypted document (password protected)", String.valueOf(e.getMessage()));
      } else {
        return failed("corrupt or unreadable document", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    } catch (StackOverflowError | OutOfMemoryError e) {
      return failed("corrupt or unreadable document", "parser gave up: " + e.getClass().getSimpleName());
    }
    String type = metadata.get(Metadata.CONTENT_TYPE);
    return new Parsed(handler.toString(), type, truncated, null, null);
  }

  private static boolean isEncryption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String n = t.getClass().getName();
      if (t instanceof EncryptedDocumentException || n.contains("InvalidPassword") || n.contains("Encrypted")) {
        return true;
      }
    }
    return false;
  }

  private static Parsed failed(String reason, String detail) {
    return new Parsed(null, null, false, reason, detail);
  }

  private ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "refinery-tika");
      t.setDaemon(true);
      workerThread.set(t);
      return t;
    });
  }

  /**
   * Ends a parse that ignores interrupts. Left running, a parser replaying a hostile PDF's content streams
   * keeps allocating until the executor dies of OutOfMemoryError (seen with it's spinning.pdf in a 1 GB
   * heap). Thread.stop works on Java 17, the runtime Refinery targets; Java 20+ removed it, and there the
   * thread is left running (false).
   */
  @SuppressWarnings({"deprecation", "removal"})
  private static boolean stop(Thread t) {
    if (t == null || !t.isAlive()) {
      return true;
    }
    try {
      t.stop();
      t.join(2000);
      return !t.isAlive();
    } catch (UnsupportedOperationException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
