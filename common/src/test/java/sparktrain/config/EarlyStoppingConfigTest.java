package sparktrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sparktrain.testing.TestDatasets;

/**
 * {@code training.early-stopping} and {@code training.plateau}: the mode, and the errors for a
 * missing split or metric, or a plateau beside a schedule.
 */
class EarlyStoppingConfigTest {

  private static JobConfig load(String... more) {
    List<String> sets = new ArrayList<>(List.of(more));
    return TestDatasets.breastCancerJob(
        "csv", TestDatasets.breastCancer(), sets.toArray(String[]::new));
  }

  @Test
  void modeAutoMinimizesLossesAndMaximizesTheRest() {
    EarlyStoppingConfig loss =
        load("data.split.validation=0.2", "training.early-stopping.metric=loss")
            .training()
            .earlyStopping();
    EarlyStoppingConfig auc =
        load("data.split.validation=0.2", "training.early-stopping.metric=auc")
            .training()
            .earlyStopping();
    EarlyStoppingConfig forced =
        load(
                "data.split.validation=0.2",
                "training.early-stopping.metric=auc",
                "training.early-stopping.mode=min")
            .training()
            .earlyStopping();

    assertThat(loss.enabled()).isTrue();
    assertThat(loss.minimize()).isTrue();
    assertThat(auc.minimize()).isFalse();
    assertThat(forced.minimize()).isTrue();
    assertThat(load().training().earlyStopping()).isEqualTo(EarlyStoppingConfig.OFF);
  }

  @Test
  void withoutAValidationSplitItIsAConfigErrorNotTheTestSplit() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                load("training.early-stopping.metric=loss", "training.early-stopping.patience=2"));

    assertThat(e.getMessage())
        .contains("training.early-stopping.metric (--set training.early-stopping.metric=loss)")
        .contains("this job has none: set data.split.validation");
  }

  @Test
  void aMetricTheTaskDoesNotReportIsAConfigError() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> load("data.split.validation=0.2", "training.early-stopping.metric=r2"));

    assertThat(e.getMessage()).contains("training.early-stopping.metric").contains("pr_auc");
  }

  @Test
  void thePlateauNeedsAValidationSplitAndNoScheduleOfItsOwn() {
    PlateauConfig p =
        load("data.split.validation=0.2", "training.plateau.metric=loss").training().plateau();
    assertThat(p.enabled()).isTrue();
    assertThat(p.minimize()).isTrue();
    assertThat(p.factor()).isEqualTo(0.1);

    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                load(
                    "training.plateau.metric=loss",
                    "model.updater.schedule.type=exponential",
                    "training.plateau.factor=1"));
    assertThat(e.getMessage())
        .contains("the plateau schedule watches the validation split, and this job has none")
        .contains("set model.updater.schedule.type = none (it is exponential)")
        .contains("training.plateau.factor (--set training.plateau.factor=1)");
  }
}
