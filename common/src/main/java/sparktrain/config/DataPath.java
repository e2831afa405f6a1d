package sparktrain.config;

/**
 * How the barrier engine feeds its workers ({@code training.data-path}).
 *
 * <ul>
 *   <li>{@code stream}: the training examples are written once per run in compact blocks to a spool
 *       directory ({@code training.spool-dir}); every epoch each worker streams its share through a
 *       bounded shuffle buffer, so its memory does not grow with the data;
 *   <li>{@code memory}: each worker keeps its share in executor memory as Java objects for the
 *       whole run (about 7 times the size of the input; data that does not fit spills to disk and
 *       is read back into memory).
 * </ul>
 */
public enum DataPath implements ConfigEnum {
  STREAM,
  MEMORY;
}
