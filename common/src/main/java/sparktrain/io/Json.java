package sparktrain.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The one JSON mapper of the project: snake_case keys, pretty output for files people read. */
public final class Json {
  /** Shared, thread-safe mapper. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          // no findAndRegisterModules(): it would pick up Spark's Scala module from the classpath
          // and turn untyped JSON into Scala collections
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private Json() {}

  /** Pretty-printed UTF-8 JSON of {@code value}, ending with a newline. */
  public static byte[] pretty(Object value) {
    try {
      return (MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value)
              + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Single-line JSON of {@code value} (for JSON Lines files). */
  public static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
