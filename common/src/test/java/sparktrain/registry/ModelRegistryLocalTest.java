package sparktrain.registry;

import java.nio.file.Path;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;

/** The registry contract on the local file system ({@code file:} URIs). */
class ModelRegistryLocalTest extends RegistryContract {
  @TempDir static Path base;

  private final Configuration conf = new Configuration();

  @Override
  String freshBase() {
    return base.resolve(UUID.randomUUID().toString()).toUri().toString();
  }

  @Override
  Configuration conf() {
    return conf;
  }
}
