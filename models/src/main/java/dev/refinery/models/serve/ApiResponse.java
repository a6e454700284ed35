package dev.refinery.models.serve;

/** An HTTP status and its JSON body. */
public record ApiResponse(int status, String json) {}
