package sparktrain.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * The parsed rows of one input path (driver-side handle; the rows stay distributed).
 *
 * @param path the input as configured
 * @param rows every data row, parsed (bad ones included, marked)
 * @param featureNames the feature columns, in order
 * @param labelName the label column (or the one-hot columns, comma-separated)
 * @param labelDescription how messages name the label, e.g. {@code label column 'benign' (index
 *     30)}
 * @param files the data files read, fully qualified
 */
record SourceRows(
    String path,
    JavaRDD<ParsedRow> rows,
    List<String> featureNames,
    String labelName,
    String labelDescription,
    List<String> files) {}
