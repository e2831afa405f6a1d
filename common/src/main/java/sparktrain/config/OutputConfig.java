package sparktrain.config;

/** The {@code output} section; {@code dir} is empty for {@code runs/<workload>-<timestamp>}. */
public record OutputConfig(String dir) {}
