package dev.srv6sh.grammar.internal;

import dev.srv6sh.grammar.ast.Arg;
import dev.srv6sh.grammar.ast.DeclName;
import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.Property;
import dev.srv6sh.grammar.ast.SegmentList;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.grammar.internal.Srv6Parser.*;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;

/**
 * Statement parse trees to {@link Stmt} records. After a syntax error a statement's tree may miss
 * pieces; such a statement is left out (its error is already reported) and the rest of the program
 * is kept, so the REPL and the checker still see everything that did parse.
 */
final class AstBuilder {
    private final String file;
    private final DiagnosticSink sink;
    private final ExprBuilder exprs;
    private final StringDecoder strings;

    AstBuilder(String file, DiagnosticSink sink, ExprBuilder exprs, StringDecoder strings) {
        this.file = file;
        this.sink = sink;
        this.exprs = exprs;
        this.strings = strings;
    }

    List<Stmt> statements(List<? extends ParserRuleContext> contexts) {
        List<Stmt> out = new ArrayList<>();
        for (ParserRuleContext c : contexts) {
            try {
                out.add(c instanceof RouterItemContext item ? routerItem(item) : stmt((StmtContext) c));
            } catch (RuntimeException broken) {
                // Only a tree that ANTLR repaired after an error lacks pieces; without one it is our bug.
                if (!sink.hasSyntaxErrors()) {
                    throw broken;
                }
            }
        }
        return List.copyOf(out);
    }

    private Stmt stmt(StmtContext c) {
        Span span = exprs.span(c);
        return switch (c) {
            case RegionStmtContext r -> new Stmt.RegionDecl(name(r.declName()), r.kind.getText(), e(r.code), span);
            case RttStmtContext r -> new Stmt.RttDecl(e(r.a), e(r.b), e(r.rtt), span);
            case VpcStmtContext v -> new Stmt.VpcDecl(name(v.declName()), e(v.region), props(v.propBlock()), span);
            case HostStmtContext h -> new Stmt.HostDecl(name(h.declName()), e(h.vpc), props(h.propBlock()), span);
            case RouterStmtContext r ->
                new Stmt.RouterDecl(
                        name(r.declName()),
                        e(r.vpc),
                        r.routerBlock() == null
                                ? List.of()
                                : statements(r.routerBlock().routerItem()),
                        span);
            case SidStmtContext s -> sid(s.sidDecl());
            case PolicyStmtContext p -> policy(p.policyDecl());
            case SteerStmtContext s -> steer(s.steerDecl());
            case ParamStmtContext p -> new Stmt.ParamDecl(p.ident().getText(), e(p.expr()), span);
            case LetStmtContext l -> new Stmt.LetDecl(l.ident().getText(), e(l.expr()), span);
            case AssignStmtContext a -> new Stmt.Assign(a.ident().getText(), e(a.expr()), span);
            case ForStmtContext f ->
                new Stmt.ForStmt(
                        f.var.getText(), f.idx == null ? null : f.idx.getText(), e(f.expr()), block(f.block()), span);
            case IfStmtAltContext i -> ifStmt(i.ifStmt());
            case FnStmtContext f ->
                new Stmt.FnDecl(
                        f.ident(0).getText(),
                        f.ident().stream()
                                .skip(1)
                                .map(ParserRuleContext::getText)
                                .toList(),
                        block(f.block()),
                        span);
            case ReturnStmtContext r -> new Stmt.ReturnStmt(e(r.expr()), span);
            case ImportStmtContext i ->
                new Stmt.ImportStmt(strings.plain(i.STRING().getSymbol()), span);
            case PlanStmtContext p -> new Stmt.PlanStmt(span);
            case ApplyStmtContext a -> new Stmt.ApplyStmt(a.AUTO() != null, span);
            case DestroyStmtContext d -> new Stmt.DestroyStmt(d.AUTO() != null, span);
            case ShowStmtContext s -> new Stmt.ShowStmt(s.what.getText(), e(s.target), span);
            case TraceStmtContext t -> new Stmt.TraceStmt(e(t.router), e(t.count), span);
            case CaptureStmtContext t ->
                new Stmt.CaptureStmt(
                        e(t.router), t.iface == null ? null : t.iface.getText(), e(t.file), e(t.duration), span);
            case ExpectStmtContext x -> new Stmt.ExpectStmt(e(x.expr(0)), e(x.message), span);
            case PrintStmtContext p -> new Stmt.PrintStmt(e(p.expr()), span);
            case SaveStmtContext s -> new Stmt.SaveStmt(e(s.file), e(s.value), span);
            case ChartStmtContext ch -> ChartOptions.build(ch, exprs, sink, span);
            case ExprStmtContext x -> new Stmt.ExprStmt(e(x.expr()), span);
            default -> throw new IllegalStateException("statement " + c.getClass());
        };
    }

    private Stmt routerItem(RouterItemContext c) {
        Span span = exprs.span(c);
        return switch (c) {
            case LocatorItemContext l -> {
                Expr prefix = e(l.expr());
                yield new Stmt.Locator(
                        prefix instanceof Expr.Ident i && i.name().equals("auto") ? null : prefix, span);
            }
            case EncapItemContext en ->
                setting(new Property("encap " + en.ident().getText(), List.of(e(en.expr())), span));
            case SshItemContext s ->
                setting(new Property(
                        "ssh", s.port == null ? List.of(e(s.address)) : List.of(e(s.address), e(s.port)), span));
            case InterfaceItemContext i -> new Stmt.InterfaceDecl(i.ident().getText(), props(i.propBlock()), span);
            case RouteItemContext r -> {
                if (r.oifKey != null && !r.oifKey.getText().equals("oif")) {
                    sink.error(
                            Spans.of(file, r.oifKey, r.oifKey),
                            "expected 'oif' or 'table' here, not '" + r.oifKey.getText() + "'");
                }
                yield new Stmt.RouteDecl(
                        e(r.prefix), e(r.via), r.oif == null ? null : r.oif.getText(), e(r.table), span);
            }
            case SrDomainItemContext d ->
                new Stmt.SrDomainDecl(
                        d.srDomainPart().stream()
                                .map(p -> new Property(p.ident().getText(), exprs.list(p.expr()), exprs.span(p)))
                                .toList(),
                        span);
            case NeighborItemContext n -> new Stmt.NeighborDecl(e(n.address), e(n.mac), n.iface.getText(), span);
            case SidItemContext s -> sid(s.sidDecl());
            case PolicyItemContext p -> policy(p.policyDecl());
            case SteerItemContext s -> steer(s.steerDecl());
            case PropertyItemContext p -> setting(new Property(p.settingKey().getText(), exprs.list(p.expr()), span));
            default -> throw new IllegalStateException("router item " + c.getClass());
        };
    }

    private Stmt setting(Property p) {
        return new Stmt.RouterProperty(p, p.span());
    }

    private Stmt sid(SidDeclContext c) {
        List<Arg> args = new ArrayList<>();
        for (SidArgContext a : c.sidArg()) {
            // `flavors psp,usp` lists its values with commas: one Arg whose value is a list.
            List<Expr> values = exprs.list(a.expr());
            Expr value =
                    switch (values.size()) {
                        case 0 -> exprs.missingValue(a.argKey());
                        case 1 -> values.getFirst();
                        default ->
                            new Expr.ListLit(
                                    values,
                                    values.getFirst().span().to(values.getLast().span()));
                    };
            args.add(new Arg(a.argKey().getText(), value, exprs.span(a)));
        }
        return new Stmt.SidDecl(
                name(c.declName()),
                e(c.at),
                c.behavior.getText(),
                exprs.span(c.behavior),
                List.copyOf(args),
                e(c.on),
                exprs.span(c));
    }

    private Stmt policy(PolicyDeclContext c) {
        List<SegmentList> lists = new ArrayList<>();
        if (c.list != null) {
            lists.add(new SegmentList(exprs.list(c.list.expr()), null, exprs.span(c.list)));
        } else if (c.weighted != null) {
            for (SegmentListContext s : c.weighted.segmentList()) {
                lists.add(new SegmentList(exprs.list(s.listLit().expr()), e(s.expr()), exprs.span(s)));
            }
        }
        return new Stmt.PolicyDecl(
                name(c.declName()),
                e(c.bsid),
                c.policyMode.getText(),
                exprs.span(c.policyMode),
                List.copyOf(lists),
                e(c.on),
                exprs.span(c));
    }

    private Stmt steer(SteerDeclContext c) {
        return new Stmt.SteerDecl(e(c.match), e(c.policy), e(c.table), e(c.on), exprs.span(c));
    }

    private Stmt ifStmt(IfStmtContext c) {
        List<Stmt> otherwise = c.ifStmt() != null
                ? List.of(ifStmt(c.ifStmt()))
                : block(c.block().size() > 1 ? c.block(1) : null);
        return new Stmt.IfStmt(e(c.expr()), block(c.block(0)), otherwise, exprs.span(c));
    }

    private List<Stmt> block(BlockContext c) {
        return c == null ? List.of() : statements(c.stmt());
    }

    private List<Property> props(PropBlockContext c) {
        return c == null ? List.of() : c.property().stream().map(this::property).toList();
    }

    private Property property(PropertyContext c) {
        return new Property(c.ident().getText(), exprs.list(c.expr()), exprs.span(c));
    }

    private DeclName name(DeclNameContext c) {
        return new DeclName(c.ident().getText(), e(c.expr()), exprs.span(c));
    }

    private Expr e(ParserRuleContext c) {
        return exprs.expr(c);
    }
}
