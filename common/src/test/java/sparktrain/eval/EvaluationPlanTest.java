package sparktrain.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import sparktrain.config.Activation;
import sparktrain.config.InputConfig;
import sparktrain.config.LayerConfig;
import sparktrain.config.LayerType;
import sparktrain.config.LossFunction;
import sparktrain.config.ModelConfig;
import sparktrain.config.ScheduleConfig;
import sparktrain.config.ScheduleType;
import sparktrain.config.ScheduleUnit;
import sparktrain.config.UpdaterConfig;
import sparktrain.config.UpdaterType;
import sparktrain.config.WeightInit;

/** The output layer's loss and units choose the kind of metrics. */
class EvaluationPlanTest {

  private static EvaluationPlan plan(int units, Activation a, LossFunction loss, int classes) {
    LayerConfig out = new LayerConfig(LayerType.OUTPUT, units, a, loss, 0, 0, 0, WeightInit.XAVIER);
    ModelConfig model =
        new ModelConfig(
            InputConfig.feedForward(4),
            List.of(out),
            WeightInit.XAVIER,
            0,
            0,
            0,
            new UpdaterConfig(
                UpdaterType.SGD,
                0.1,
                0.9,
                0.9,
                0.999,
                1e-8,
                0,
                new ScheduleConfig(ScheduleType.NONE, ScheduleUnit.EPOCH, 0, 0, 0, 0)));
    return EvaluationPlan.of(model, classes);
  }

  @Test
  void lossAndUnitsChooseTheKind() {
    EvaluationPlan sigmoid = plan(1, Activation.SIGMOID, LossFunction.XENT, 2);
    assertThat(sigmoid.kind()).isEqualTo(EvaluationPlan.Kind.BINARY);
    assertThat(sigmoid.empty()).isInstanceOf(BinaryClassificationMetrics.class);

    EvaluationPlan softmax2 = plan(2, Activation.SOFTMAX, LossFunction.SPARSE_MCXENT, 2);
    assertThat(softmax2.kind()).isEqualTo(EvaluationPlan.Kind.BINARY);
    assertThat(softmax2.outputs()).isEqualTo(2);

    EvaluationPlan softmax10 = plan(10, Activation.SOFTMAX, LossFunction.MCXENT, 10);
    assertThat(softmax10.kind()).isEqualTo(EvaluationPlan.Kind.MULTICLASS);
    assertThat(((ClassificationMetrics) softmax10.empty()).numClasses()).isEqualTo(10);
    assertThat(softmax10.empty().summary()).containsKey("top5_accuracy");

    EvaluationPlan mse = plan(3, Activation.IDENTITY, LossFunction.MSE, 10);
    assertThat(mse.kind()).isEqualTo(EvaluationPlan.Kind.REGRESSION);
    assertThat(((RegressionMetrics) mse.empty()).columns()).isEqualTo(3);
    assertThat(plan(1, Activation.SIGMOID, LossFunction.MAE, 0).kind())
        .isEqualTo(EvaluationPlan.Kind.REGRESSION);

    EvaluationPlan hinge = plan(1, Activation.IDENTITY, LossFunction.HINGE, 2);
    assertThat(hinge.kind()).isEqualTo(EvaluationPlan.Kind.MULTICLASS);
    assertThat(hinge.probabilistic()).isFalse();
    assertThat(hinge.empty().summary()).doesNotContainKey("log_loss");
  }

  @Test
  void hingeWithOneUnitClassifiesBySign() {
    EvaluationPlan hinge = plan(1, Activation.IDENTITY, LossFunction.HINGE, 2);
    ClassificationMetrics m = (ClassificationMetrics) hinge.empty();
    hinge.addRow(m, new double[] {0.3}, new double[] {1});
    hinge.addRow(m, new double[] {-0.3}, new double[] {-1});
    hinge.addRow(m, new double[] {0.1}, new double[] {0});
    assertThat(m.confusion()).isEqualTo(new long[][] {{1, 1}, {0, 1}});
  }

  @Test
  void multiLabelIsRefusedByName() {
    assertThatThrownBy(() -> plan(3, Activation.SIGMOID, LossFunction.XENT, 3))
        .hasMessageContaining("multi-label evaluation (loss xent with 3 output units)");
  }

  @Test
  void labelOutsideTheClassesIsAnErrorNamingIt() {
    EvaluationPlan p = EvaluationPlan.multiclass(10);
    ClassificationMetrics m = (ClassificationMetrics) p.empty();
    assertThatThrownBy(() -> p.addRow(m, new double[10], new double[] {10}))
        .hasMessage("label 10.0 is not a class index in [0, 10)");
    assertThatThrownBy(() -> p.addRow(m, new double[10], new double[] {2.5}))
        .hasMessage("label 2.5 is not a class index in [0, 10)");
  }
}
