package dev.refinery.ingest.html;

/** The result of main-content extraction: the page title (may be empty) and its main text. */
public record ExtractedPage(String title, String text) {}
