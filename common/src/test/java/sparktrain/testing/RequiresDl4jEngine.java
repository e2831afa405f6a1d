package sparktrain.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A test (or test class) that trains with {@code training.engine = dl4j}: it runs on the Spark 3.5
 * build ({@code -Pspark-3.5}) and is skipped, with this reason, on the Spark 4 build, which has no
 * DL4J Spark module. Tests that import DL4J's Spark classes live in {@code
 * common/src/dl4j-spark-test/} instead, compiled by the Spark 3.5 build only.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@EnabledIf(
    value = "sparktrain.train.Dl4jEngines#available",
    disabledReason =
        "training.engine = dl4j needs DL4J's Spark module (Scala 2.12): Spark 3.5 build"
            + " (-Pspark-3.5) only")
public @interface RequiresDl4jEngine {}
