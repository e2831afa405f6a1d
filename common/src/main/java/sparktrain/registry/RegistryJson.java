package sparktrain.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reading the registry's JSON files. A plain mapper on purpose: {@code sparktrain.io.Json}
 * registers every module on the classpath, and Spark's Scala module turns untyped JSON objects and
 * arrays (provenance, decision info, watermark inputs) into Scala collections. Writing goes through
 * {@code sparktrain.io.Json}.
 */
final class RegistryJson {
  private static final ObjectMapper READER_MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RegistryJson() {}

  /** A reader for {@code type} that ignores unknown fields (files written by newer versions). */
  static ObjectReader readerFor(Class<?> type) {
    return READER_MAPPER.readerFor(type);
  }
}
