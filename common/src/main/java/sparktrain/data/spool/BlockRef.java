package sparktrain.data.spool;

import java.io.Serializable;

/**
 * Where one block of the spool is: its file (relative to the spool directory), byte range, number
 * of examples, and whether its features are stored as bytes.
 */
public record BlockRef(String file, long offset, int length, int count, boolean bytes)
    implements Serializable {}
