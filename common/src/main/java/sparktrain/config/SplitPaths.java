package sparktrain.config;

/** Image and label files of one data split (Hadoop paths; empty when not given). */
public record SplitPaths(String images, String labels) {}
