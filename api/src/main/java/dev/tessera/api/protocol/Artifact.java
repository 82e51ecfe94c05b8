package dev.tessera.api.protocol;

/** A file the Attempt produced (a screenshot), stored next to the result. */
public record Artifact(String name, String path, String contentType, long bytes) {}
