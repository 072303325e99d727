using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GovData.Portal.Features.Dcat;

/// <summary>An RDF term: an IRI, a blank node or a literal.</summary>
internal abstract record RdfTerm;

/// <summary>An IRI (absolute).</summary>
internal sealed record Iri(string Value) : RdfTerm;

/// <summary>A blank node, local to one document.</summary>
internal sealed record Blank(string Id) : RdfTerm;

/// <summary>A literal with a language tag or a datatype (xsd:string when neither).</summary>
internal sealed record Literal(string Value, string? Language = null, string? Datatype = null) : RdfTerm;

/// <summary>A triple.</summary>
internal sealed record Triple(RdfTerm Subject, Iri Predicate, RdfTerm Object);

/// <summary>The namespaces the DCAT-AP export uses, with their prefixes.</summary>
internal static class Ns
{
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string Rdfs = "http://www.w3.org/2000/01/rdf-schema#";
    public const string Xsd = "http://www.w3.org/2001/XMLSchema#";
    public const string Dcat = "http://www.w3.org/ns/dcat#";
    public const string Dct = "http://purl.org/dc/terms/";
    public const string Foaf = "http://xmlns.com/foaf/0.1/";
    public const string Vcard = "http://www.w3.org/2006/vcard/ns#";
    public const string Skos = "http://www.w3.org/2004/02/skos/core#";
    public const string Hydra = "http://www.w3.org/ns/hydra/core#";
    public const string Adms = "http://www.w3.org/ns/adms#";

    public static readonly IReadOnlyList<(string Prefix, string Namespace)> Prefixes =
    [
        ("rdf", Rdf), ("rdfs", Rdfs), ("xsd", Xsd), ("dcat", Dcat), ("dct", Dct), ("foaf", Foaf), ("vcard", Vcard), ("skos", Skos),
        ("hydra", Hydra), ("adms", Adms),
    ];
}

/// <summary>
/// A small in-memory RDF graph with the two serialisations the DCAT export needs: Turtle (subjects grouped, prefixed
/// names where the local part is safe, every literal escaped) and JSON-LD (a <c>@graph</c> of node objects with a prefix
/// <c>@context</c>; every value as an explicit <c>@id</c>/<c>@value</c> object, so it expands to exactly these triples).
/// </summary>
internal sealed class RdfGraph
{
    private readonly List<Triple> _triples = [];
    private readonly HashSet<Triple> _seen = [];

    public IReadOnlyList<Triple> Triples => _triples;

    public void Add(RdfTerm subject, string predicate, RdfTerm obj)
    {
        var t = new Triple(subject, new Iri(predicate), obj);
        if (_seen.Add(t)) _triples.Add(t);
    }

    public void Add(RdfTerm subject, string predicate, string? text, string? language = "zh")
    {
        if (!string.IsNullOrWhiteSpace(text)) Add(subject, predicate, new Literal(text, language));
    }

    public void Type(RdfTerm subject, string type) => Add(subject, Ns.Rdf + "type", new Iri(type));

    // ---------------------------------------------------------------- Turtle

    public string ToTurtle()
    {
        var sb = new StringBuilder();
        foreach (var (prefix, ns) in Ns.Prefixes) sb.Append("@prefix ").Append(prefix).Append(": <").Append(ns).Append("> .\n");
        foreach (var group in _triples.GroupBy(t => t.Subject))
        {
            sb.Append('\n').Append(Term(group.Key));
            var predicates = group.GroupBy(t => t.Predicate).ToList();
            for (var i = 0; i < predicates.Count; i++)
            {
                var p = predicates[i];
                sb.Append(i == 0 ? " " : " ;\n    ").Append(p.Key.Value == Ns.Rdf + "type" ? "a" : Term(p.Key)).Append(' ');
                sb.Append(string.Join(", ", p.Select(t => Term(t.Object))));
            }
            sb.Append(" .\n");
        }
        return sb.ToString();
    }

    private static string Term(RdfTerm term) => term switch
    {
        Iri iri => Prefixed(iri.Value) ?? "<" + EscapeIri(iri.Value) + ">",
        Blank b => "_:" + b.Id,
        Literal l => "\"" + EscapeString(l.Value) + "\"" + (l.Language is { } lang ? "@" + lang : l.Datatype is { } dt ? "^^" + (Prefixed(dt) ?? "<" + EscapeIri(dt) + ">") : ""),
        _ => throw new ArgumentOutOfRangeException(nameof(term)),
    };

    /// <summary>A prefixed name when the local part is plain (letters, digits, '_' and '-' not at the start).</summary>
    private static string? Prefixed(string iri)
    {
        foreach (var (prefix, ns) in Ns.Prefixes)
        {
            if (!iri.StartsWith(ns, StringComparison.Ordinal)) continue;
            var local = iri[ns.Length..];
            if (local.Length > 0 && char.IsAsciiLetter(local[0]) && local.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                return prefix + ":" + local;
        }
        return null;
    }

    /// <summary>Turtle IRIREF: characters outside it (controls, space, &lt;&gt;"{}|^`\) are percent-encoded (UTF-8).</summary>
    internal static string EscapeIri(string iri)
    {
        var sb = new StringBuilder(iri.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in iri.EnumerateRunes())
        {
            var v = rune.Value;
            if (v <= 0x20 || v is '<' or '>' or '"' or '{' or '}' or '|' or '^' or '`' or '\\')
            {
                var n = rune.EncodeToUtf8(bytes);
                for (var i = 0; i < n; i++) sb.Append('%').Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture));
            }
            else sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    /// <summary>Turtle STRING_LITERAL_QUOTE: backslash, quote, line breaks and other controls escaped.</summary>
    internal static string EscapeString(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7F) sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    // ---------------------------------------------------------------- JSON-LD

    public JsonObject ToJsonLd()
    {
        var context = new JsonObject();
        foreach (var (prefix, ns) in Ns.Prefixes) context[prefix] = ns;
        var graph = new JsonArray();
        foreach (var group in _triples.GroupBy(t => t.Subject))
        {
            var node = new JsonObject { ["@id"] = Id(group.Key) };
            foreach (var p in group.GroupBy(t => t.Predicate))
            {
                if (p.Key.Value == Ns.Rdf + "type")
                {
                    node["@type"] = new JsonArray(p.Select(t => (JsonNode)JsonValue.Create(((Iri)t.Object).Value)!).ToArray());
                    continue;
                }
                node[p.Key.Value] = new JsonArray(p.Select(t => (JsonNode)Value(t.Object)).ToArray());
            }
            graph.Add(node);
        }
        return new JsonObject { ["@context"] = context, ["@graph"] = graph };
    }

    private static string Id(RdfTerm term) => term switch
    {
        Iri iri => iri.Value,
        Blank b => "_:" + b.Id,
        _ => throw new ArgumentException("A literal cannot be a subject", nameof(term)),
    };

    private static JsonObject Value(RdfTerm term) => term switch
    {
        Literal { Language: { } lang } l => new JsonObject { ["@value"] = l.Value, ["@language"] = lang },
        Literal { Datatype: { } dt } l => new JsonObject { ["@value"] = l.Value, ["@type"] = dt },
        Literal l => new JsonObject { ["@value"] = l.Value },
        _ => new JsonObject { ["@id"] = Id(term) },
    };
}
