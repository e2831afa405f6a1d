package sparktrain.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import sparktrain.testing.LocalSpark;

/**
 * A real CSV of src/test/resources/datasets (last column = label), shuffled with a seed, split
 * 70/30, features standardized with the training part's mean and standard deviation.
 */
final class Tabular {
  final float[][] trainX;
  final double[] trainY;
  final float[][] testX;
  final double[] testY;

  private Tabular(float[][] trainX, double[] trainY, float[][] testX, double[] testY) {
    this.trainX = trainX;
    this.trainY = trainY;
    this.testX = testX;
    this.testY = testY;
  }

  static Tabular read(String file, long seed) {
    List<String> lines;
    try {
      lines = Files.readAllLines(LocalSpark.resource("datasets").resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<double[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        String[] cells = line.split(",");
        double[] row = new double[cells.length];
        for (int j = 0; j < cells.length; j++) {
          row[j] = Double.parseDouble(cells[j]);
        }
        rows.add(row);
      }
    }
    Collections.shuffle(rows, new Random(seed));
    int nTrain = rows.size() * 7 / 10;
    int width = rows.get(0).length - 1;
    double[] mean = new double[width];
    double[] sd = new double[width];
    for (double[] r : rows.subList(0, nTrain)) {
      for (int j = 0; j < width; j++) {
        mean[j] += r[j] / nTrain;
      }
    }
    for (double[] r : rows.subList(0, nTrain)) {
      for (int j = 0; j < width; j++) {
        sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / nTrain;
      }
    }
    float[][] x = new float[rows.size()][width];
    double[] y = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < width; j++) {
        x[i][j] = (float) ((rows.get(i)[j] - mean[j]) / Math.sqrt(sd[j]));
      }
      y[i] = rows.get(i)[width];
    }
    return new Tabular(
        Arrays.copyOfRange(x, 0, nTrain),
        Arrays.copyOfRange(y, 0, nTrain),
        Arrays.copyOfRange(x, nTrain, x.length),
        Arrays.copyOfRange(y, nTrain, y.length));
  }

  /** All rows as one DataSet; labels one column, or one-hot over {@code oneHotClasses} (> 0). */
  static DataSet dataSet(float[][] x, double[] y, int oneHotClasses) {
    float[][] labels = new float[y.length][oneHotClasses > 0 ? oneHotClasses : 1];
    for (int i = 0; i < y.length; i++) {
      if (oneHotClasses > 0) {
        labels[i][(int) y[i]] = 1f;
      } else {
        labels[i][0] = (float) y[i];
      }
    }
    return new DataSet(Nd4j.create(x), Nd4j.create(labels));
  }

  /** Minibatches of {@code size} rows. */
  static List<DataSet> batches(float[][] x, double[] y, int oneHotClasses, int size) {
    List<DataSet> out = new ArrayList<>();
    for (int from = 0; from < y.length; from += size) {
      int to = Math.min(y.length, from + size);
      out.add(
          dataSet(Arrays.copyOfRange(x, from, to), Arrays.copyOfRange(y, from, to), oneHotClasses));
    }
    return out;
  }
}
