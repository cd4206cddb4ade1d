package dev.gatehouse.cedar.bench;

import dev.gatehouse.cedar.authz.PolicySet;
import dev.gatehouse.cedar.authz.Request;
import dev.gatehouse.cedar.authz.Response;
import dev.gatehouse.cedar.entities.Entities;
import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.Value;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One authorization decision against Gatehouse-shaped policy sets: half per-agent permits, half
 * conditional forbids on external tools, at 10, 1,000 and 10,000 policies.
 *
 * <ul>
 *   <li>{@code shared}: every permit is scoped {@code principal is Gatehouse::Agent}, so every
 *       policy's scope matches every tool call and only the conditions tell them apart;</li>
 *   <li>{@code perAgent}: permits are scoped {@code principal == Gatehouse::Agent::"agent-i"}, as
 *       a registry that writes one rule per agent would, so the index selects one permit.</li>
 * </ul>
 *
 * The request: agent-3 (tags {@code team-3}, {@code ops}) reads the external tool
 * {@code create_ticket} with data level 1 — allowed by p3; every forbid's guard holds
 * ({@code destination == "external"}) and its level test fails. {@code authorizeMixed} cycles
 * through 64 calls by different agents on internal and external tools with data levels 0–3
 * (allowed and denied, some by several forbids). Sample time mode, so JMH reports p50/p90/p99
 * per decision.
 *
 * <pre>
 * mvn -B -pl gatehouse-cedar test-compile exec:exec -Dbench=AuthorizerBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class AuthorizerBenchmark {
    @Param({"10", "1000", "10000"})
    public int policies;

    @Param({"shared", "perAgent"})
    public String shape;

    private PolicySet policySet;
    private Entities entities;
    private Request request;
    /** 64 different calls: agents, tools and data levels vary, so do the decisions. */
    private Request[] mixed;
    private int next;

    @Setup
    public void setUp() {
        policySet = PolicySet.parse(policyText(policies, shape.equals("perAgent")));
        entities = entities(Math.max(10, policies / 2));
        EntityType agent = EntityType.of("Gatehouse::Agent");
        request = new Request(agent.uid("agent-3"), EntityUid.of("Gatehouse::Action", "read"),
                EntityUid.of("Gatehouse::Tool", "create_ticket"), context(1));
        Response r = policySet.authorize(request, entities);
        if (!r.isAllowed() || !r.reasons().equals(List.of("p3")) || !r.errors().isEmpty()) {
            throw new IllegalStateException("unexpected benchmark decision: " + r);
        }
        String[] tools = {"get_issue", "create_ticket", "send_email"};
        int agents = Math.max(10, policies / 2);
        mixed = new Request[64];
        int allowed = 0;
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = new Request(agent.uid("agent-" + (i * 7919 % agents)), EntityUid.of("Gatehouse::Action", "read"),
                    EntityUid.of("Gatehouse::Tool", tools[i % 3]), context(i % 4));
            allowed += policySet.authorize(mixed[i], entities).isAllowed() ? 1 : 0;
        }
        if (allowed == 0 || allowed == mixed.length) {
            throw new IllegalStateException("the mixed requests should get both answers, got " + allowed + " allowed");
        }
    }

    /** The same call every time. */
    @Benchmark
    public Response authorize() {
        return policySet.authorize(request, entities);
    }

    /** A different call each time, cycling through 64: allowed and denied, internal and external tools. */
    @Benchmark
    public Response authorizeMixed() {
        Request r = mixed[next];
        next = (next + 1) & 63;
        return policySet.authorize(r, entities);
    }

    /** {@code n} policies: n/2 permits and n/2 forbids, shaped as in the Gatehouse scenario. */
    public static String policyText(int n, boolean perAgent) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n / 2; i++) {
            String principal = perAgent ? "principal == Gatehouse::Agent::\"agent-" + i + "\"" : "principal is Gatehouse::Agent";
            b.append("@id(\"p").append(i).append("\") permit(").append(principal)
                    .append(", action == Gatehouse::Action::\"read\", resource is Gatehouse::Tool) when { context.request.inScope && principal.tags.contains(\"team-")
                    .append(i).append("\") || resource.name == \"get_issue\" };\n");
        }
        for (int i = 0; i < n - n / 2; i++) {
            b.append("@id(\"f").append(i).append("\") forbid(principal, action, resource is Gatehouse::Tool) when { resource.destination == \"external\" && context.data.level >= ")
                    .append(2 + i).append(" };\n");
        }
        return b.toString();
    }

    /** Agents agent-0 … agent-(n-1) with an owner and team tags, and three tools. */
    public static Entities entities(int agents) {
        Entities.Builder b = Entities.builder();
        EntityType agent = EntityType.of("Gatehouse::Agent");
        EntityUid owner = EntityUid.of("Gatehouse::Human", "alice");
        EntityUid group = EntityUid.of("Gatehouse::Group", "engineering");
        b.add(Entity.builder(owner).attribute("status", "active").parent(group).build());
        b.add(Entity.builder(group).build());
        for (int i = 0; i < agents; i++) {
            b.add(Entity.builder(agent.uid("agent-" + i))
                    .attribute("status", "active").attribute("owner", owner).attribute("purpose", "triage")
                    .attribute("environment", "prod").attribute("autonomy", "assistive")
                    .attribute("tags", Value.setOf(Value.of("team-" + i), Value.of("ops")))
                    .parent(group).build());
        }
        EntityUid server = EntityUid.of("Gatehouse::ToolServer", "tracker");
        b.add(Entity.builder(server).attribute("trust", "approved").attribute("destination", "external").build());
        for (String[] t : new String[][] {{"get_issue", "read", "internal"}, {"create_ticket", "read", "external"}, {"send_email", "execute", "external"}}) {
            b.add(Entity.builder(EntityUid.of("Gatehouse::Tool", t[0])).attribute("name", t[0]).attribute("effect", t[1])
                    .attribute("risk", "low").attribute("destination", t[2]).parent(server).build());
        }
        return b.build();
    }

    /** A tool-call context in Gatehouse's vocabulary. */
    public static RecordValue context(long dataLevel) {
        return RecordValue.of(Map.of(
                "task", Value.record(Map.of("id", Value.of("t-1"), "intent", Value.of("triage"), "scope", Value.setOf(Value.of("tracker")))),
                "delegation", Value.record(Map.of("depth", Value.of(0), "chain", Value.setOf(), "onBehalfOf", Value.of(""))),
                "data", Value.record(Map.of("classification", Value.of("internal"), "level", Value.of(dataLevel), "findings", Value.setOf())),
                "session", Value.record(Map.of("taintLevel", Value.of(1), "calls", Value.of(3))),
                "request", Value.record(Map.of("hour", Value.of(10), "weekday", Value.of(2), "environment", Value.of("prod"), "inScope", Value.of(true))),
                "approval", Value.record(Map.of("granted", Value.of(false)))));
    }
}
