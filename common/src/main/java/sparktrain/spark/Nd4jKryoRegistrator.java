package sparktrain.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kryo registrator for ND4J arrays ({@code spark.kryo.registrator}), on both Spark lines: Kryo's
 * field-by-field default would copy an {@code INDArray}'s Java fields and lose its off-heap data,
 * so arrays (and the {@code DataSet}s and other objects holding them) are written by {@link
 * NdArraySerializer}: float and double values copied in bulk, other arrays in ND4J's own binary
 * format ({@link Nd4j#write}/{@link Nd4j#read}). It replaces {@code org.nd4j.kryo.Nd4jRegistrator},
 * which ships inside DL4J's Spark module for Scala 2.12 only.
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

  /**
   * An array as a marker byte, then either its values copied in bulk (float and double arrays of
   * rank 1 or more: data type, order, shape, byte order, then the raw bytes in the array's order)
   * or ND4J's binary format for everything else. ND4J's format writes and reads one value at a time
   * through a {@code DataOutputStream}: reading the cached test minibatches of the MNIST MLP
   * (10,000 x 784 floats) that way was 8% of a {@code local[*]} training task's time.
   */
  static final class NdArraySerializer extends Serializer<INDArray> {
    private static final byte ND4J_FORMAT = 0;
    private static final byte RAW = 1;
    private static final int CHUNK = 1 << 16;

    private static boolean raw(INDArray array) {
      DataType type = array.dataType();
      return (type == DataType.FLOAT || type == DataType.DOUBLE)
          && array.rank() > 0
          && !array.isEmpty()
          && !array.isCompressed();
    }

    @Override
    public void write(Kryo kryo, Output output, INDArray array) {
      if (!raw(array)) {
        output.writeByte(ND4J_FORMAT);
        try {
          DataOutputStream out = new DataOutputStream(output);
          Nd4j.write(array, out);
          out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write an ND4J array for Kryo", e);
        }
        return;
      }
      // a view or a buffer larger than the array: its own elements only, as one block
      INDArray c = array.isView() || array.data().length() != array.length() ? array.dup() : array;
      output.writeByte(RAW);
      output.writeByte(c.dataType() == DataType.FLOAT ? 0 : 1);
      output.writeByte(c.ordering());
      long[] shape = c.shape();
      output.writeVarInt(shape.length, true);
      for (long dim : shape) {
        output.writeVarLong(dim, true);
      }
      ByteBuffer values = c.data().asNio();
      output.writeBoolean(values.order() == ByteOrder.LITTLE_ENDIAN);
      long bytes = c.length() * c.dataType().width();
      values.position(0);
      inChunks(
          bytes,
          (chunk, n) -> {
            values.get(chunk, 0, n);
            output.writeBytes(chunk, 0, n);
          });
    }

    @Override
    public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
      if (input.readByte() == ND4J_FORMAT) {
        return Nd4j.read(new DataInputStream(input));
      }
      DataType dataType = input.readByte() == 0 ? DataType.FLOAT : DataType.DOUBLE;
      char ordering = (char) input.readByte();
      long[] shape = new long[input.readVarInt(true)];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = input.readVarLong(true);
      }
      ByteOrder order = input.readBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      INDArray array = Nd4j.createUninitializedDetached(dataType, ordering, shape);
      ByteBuffer values = array.data().asNio();
      long bytes = array.length() * dataType.width();
      if (order != values.order()) {
        // written on a machine of the other byte order: value by value
        ByteBuffer source = ByteBuffer.wrap(input.readBytes((int) bytes)).order(order);
        for (long i = 0; i < array.length(); i++) {
          array.data().put(i, dataType == DataType.FLOAT ? source.getFloat() : source.getDouble());
        }
        return array;
      }
      values.position(0);
      inChunks(
          bytes,
          (chunk, n) -> {
            input.readBytes(chunk, 0, n);
            values.put(chunk, 0, n);
          });
      return array;
    }

    /** One step of a bulk copy: moves the first {@code n} bytes of {@code chunk} along. */
    private interface ChunkStep {
      void move(byte[] chunk, int n);
    }

    /** Runs {@code step} over {@code bytes} bytes, a chunk of at most {@value #CHUNK} at a time. */
    private static void inChunks(long bytes, ChunkStep step) {
      byte[] chunk = new byte[(int) Math.min(CHUNK, bytes)];
      for (long done = 0; done < bytes; ) {
        int n = (int) Math.min(chunk.length, bytes - done);
        step.move(chunk, n);
        done += n;
      }
    }
  }
}
