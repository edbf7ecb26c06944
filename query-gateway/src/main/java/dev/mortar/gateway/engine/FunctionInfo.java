package dev.mortar.gateway.engine;

/** A function an engine offers, for HS2's GetFunctions. */
public record FunctionInfo(String name, String description, boolean returnsTable) {}
