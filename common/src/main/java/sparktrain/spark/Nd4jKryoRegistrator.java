package sparktrain.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kryo registrator for ND4J arrays ({@code spark.kryo.registrator}), on both Spark lines: Kryo's
 * field-by-field default would copy an {@code INDArray}'s Java fields and lose its off-heap data,
 * so arrays (and the {@code DataSet}s and other objects holding them) are written with ND4J's own
 * binary format ({@link Nd4j#write}/{@link Nd4j#read}). It replaces {@code
 * org.nd4j.kryo.Nd4jRegistrator}, which ships inside DL4J's Spark module for Scala 2.12 only.
 */
public final class Nd4jKryoRegistrator implements KryoRegistrator {
  /**
   * The registrator that ND4J's Spark module provides (Scala 2.12 only); this class replaces it.
   */
  public static final String ND4J_REGISTRATOR = "org.nd4j.kryo.Nd4jRegistrator";

  @Override
  public void registerClasses(Kryo kryo) {
    NdArraySerializer serializer = new NdArraySerializer();
    kryo.register(Nd4j.getBackend().getNDArrayClass(), serializer);
    // views and arrays of other backends: any INDArray, registered or not
    kryo.addDefaultSerializer(INDArray.class, serializer);
  }

  /** An array in ND4J's binary format: data type, shape, order and values. */
  static final class NdArraySerializer extends Serializer<INDArray> {
    @Override
    public void write(Kryo kryo, Output output, INDArray array) {
      try {
        DataOutputStream out = new DataOutputStream(output);
        Nd4j.write(array, out);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write an ND4J array for Kryo", e);
      }
    }

    @Override
    public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
      return Nd4j.read(new DataInputStream(input));
    }
  }
}
