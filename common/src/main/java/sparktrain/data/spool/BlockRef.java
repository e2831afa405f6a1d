package sparktrain.data.spool;

import java.io.Serializable;

/**
 * Where one block of the spool is: its file (relative to the spool directory), byte range and
 * number of examples.
 */
public record BlockRef(String file, long offset, int length, int count) implements Serializable {}
