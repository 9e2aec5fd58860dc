package org.sluice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ServiceLifecyclePropertyTest {
    private final Lifecycle rules = Lifecycle.standard();

    /** One step an operator might take, and whether the work behind it would succeed. */
    record Step(Operation operation, boolean succeeds) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.of(Operation.class), Arbitraries.of(true, false))
                .as(Step::new).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<ServiceState> restingStates() {
        return Arbitraries.of(ServiceState.class).filter(ServiceState::isResting);
    }

    @Property(tries = 500)
    void anySequenceKeepsTheServiceInAChartStateAndRefusalsChangeNothing(
            @ForAll("restingStates") ServiceState start,
            @ForAll("steps") List<Step> steps) {
        ServiceLifecycle service = ServiceLifecycle.resting(rules, start);
        for (Step step : steps) {
            if (service.isRemoved()) {
                break;
            }
            ServiceState before = service.state();
            boolean allowed = rules.allows(before, step.operation());
            Transition transition;
            try {
                transition = service.begin(step.operation());
            } catch (OperationNotAllowedException refused) {
                assertThat(allowed).as("%s refused in %s", step.operation(), before).isFalse();
                assertThat(service.state()).isEqualTo(before);
                assertThat(service.running()).isEmpty();
                continue;
            }
            assertThat(allowed).as("%s accepted in %s", step.operation(), before).isTrue();
            assertThat(service.state().isTransitional()).isTrue();
            if (step.succeeds()) {
                service.succeed(transition);
            } else {
                service.fail(transition);
            }
            if (!service.isRemoved()) {
                assertThat(rules.chart().states()).contains(service.state());
                assertThat(service.running()).isEmpty();
            }
        }
    }
}
