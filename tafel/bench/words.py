"""The benchmark's words: Dutch vocabulary for titles, bodies and names, and
the weights that give the seeded database a realistic spread
(used by `tafel.bench.seed`)."""

from __future__ import annotations

import random

BENCH_DOMAIN = "bench.example.org"
BENCH_PASSWORD = "bench-tafel-wachtwoord-2026"  # noqa: S105 - benchmark accounts only
SECRETARIAT_EMAIL = f"secretariaat@{BENCH_DOMAIN}"


def _entries(text: str) -> list[str]:
    """One entry per line, or several separated by ' | '."""
    return [e.strip() for line in text.strip().splitlines() for e in line.split(" | ") if e.strip()]


TOPICS = _entries(
    """
    omgevingsvergunning | netcongestie | stikstofvergunning | netaansluiting
    transportcapaciteit | vergunningverlening | milieuvergunning | exportvergunning
    bestemmingsplan | subsidieregeling | aanbestedingsprocedure | waterstofproductie | warmtenet
    elektrolyser | halfgeleiderfabriek | chipproductie | fotonicachips | kwantumcomputer
    batterijrecycling | grondstoffenstrategie | kunststofrecycling | CO2-opslag
    stikstofdepositie | arbeidsmigratie | kennisveiligheid | exportcontrole | datadeling
    cyberveiligheid | CE-markering | MDR-certificering | laadinfrastructuur | zonnepark
    windpark op zee | biobased materialen | circulaire bouw | precisielandbouw | machinebouw
    ruimtevaarttechnologie | AI-toepassingen | 5G-netwerk | octrooiaanvraag | vestigingsklimaat
    innovatiekrediet | WBSO-aanvraag | financiën | energiebelasting | coöperatie | netbeheerder
    omgevingsdienst | uitvoeringsregels | veiligheidseisen
    """
)
FACILITIES = _entries(
    """
    productiehal | fabriek | cleanroom | testlocatie | proeffabriek | distributiecentrum
    laboratorium | datacenter | opslaglocatie | werkplaats | bedrijventerrein | pilotplant
    assemblagelijn
    """
)
PROBLEMS = _entries(
    """
    vertraging | onduidelijkheid | stapeling van regels | hoge kosten | gebrek aan capaciteit
    tegenstrijdige eisen | administratieve lasten | lange wachttijden | versnipperde loketten
    ontbrekende normen
    """
)
ACTORS = _entries(
    """
    de gemeente | de provincie | de netbeheerder | de omgevingsdienst | RVO | het waterschap
    de inspectie | de Europese Commissie | het ministerie
    """
)
CAUSES = _entries(
    """
    netcongestie | stikstofregels | personeelstekort | ontbrekende normen | bezwaarprocedures
    trage vergunningverlening | dubbele toetsing | onduidelijke uitvoeringsregels
    """
)
SOLUTIONS = _entries(
    """
    een versnelde procedure | één loket | een experimenteerregeling | flexibele contracten
    duidelijke normen | een landelijke aanpak | extra capaciteit bij de omgevingsdienst
    een vaste beslistermijn
    """
)
CITIES = _entries(
    """
    Eindhoven | Delft | Enschede | Groningen | Rotterdam | Nijmegen | Zwolle | Den Bosch
    Veldhoven | Leeuwarden | Maastricht | Terneuzen | Emmen | Helmond | Almere | Arnhem
    Tilburg | Breda | Amersfoort | Venlo | Deventer | Leiden | Wageningen | Geleen | Hengelo
    Middelburg | Assen | Lelystad | Zaandam
    """
)
TITLE_TEMPLATES = [
    "{Topic} blokkeert uitbreiding van {facility} in {city}",
    "Lange doorlooptijd {topic} voor {facility}",
    "{Topic}: {problem} bij {actor}",
    "Knelpunt in {regulation} remt {topic}",
    "Signaal: {topic} vraagt om {solution}",
    "Geen {topic} voor {facility} door {cause}",
    "{Problem} rond {topic} in {city}",
    "{Topic} en {topic2} botsen bij {facility}",
]
SENTENCES = [
    "Wij wachten al {n} maanden op {actor} voor de {topic}.",
    "Door {cause} kan onze {facility} in {city} niet uitbreiden.",
    "De {topic} kost ons naar schatting {k} duizend euro per jaar extra.",
    "Andere bedrijven in de regio melden dezelfde {problem}.",
    "Wij stellen voor om {solution} in te voeren voor de {topic}.",
    "Zonder {topic} verliezen wij orders aan concurrenten in Duitsland en België.",
    "Er zijn {n} vergunningen nodig van verschillende overheden.",
    "De financiën van onze coöperatie staan onder druk door {cause}.",
    "Wij hebben geïnvesteerd in een {facility}, maar de {topic} ontbreekt nog.",
    "Er liggen goede ideeën voor {solution}, maar niemand pakt ze op.",
    "{Actor} verwijst naar {actor2}, en omgekeerd.",
    "Het gaat om {n} arbeidsplaatsen en een investering van {k} miljoen euro.",
    "De regels voor {topic} zijn voor het mkb nauwelijks te volgen.",
    "Wij vragen de tafel om dit knelpunt te agenderen.",
    "In {city} speelt hetzelfde probleem bij de {topic}.",
    "Een efficiënte oplossing is {solution}.",
]
REGULATIONS = [
    ("Omgevingswet", "BWBR0037885"),
    ("Besluit activiteiten leefomgeving", "BWBR0041330"),
    ("Besluit kwaliteit leefomgeving", "BWBR0041313"),
    ("Elektriciteitswet 1998", "BWBR0009755"),
    ("Energiewet", "BWBR0050714"),
    ("Wet natuurbescherming", "BWBR0037552"),
    ("Arbeidsomstandighedenwet", "BWBR0010346"),
    ("Aanbestedingswet 2012", "BWBR0032203"),
    ("Wet arbeid vreemdelingen", "BWBR0007149"),
    ("Algemene verordening gegevensbescherming", "32016R0679"),
    ("Verordening medische hulpmiddelen", "32017R0745"),
    ("Europese chipwet", "32023R1781"),
    ("Verordening kritieke grondstoffen", "32024R1252"),
    ("Richtlijn industriële emissies", "32010L0075"),
    ("Verordening ontbossingsvrije producten", "32023R1115"),
    ("Omgevingsplan gemeente", "CVDR712345"),
    ("Keur waterschap", "CVDR654321"),
]
PREFIXES = _entries(
    """
    Van Dijk | De Vries | Jansen | Bakker | Visser | Smit | Meijer | Mulder | De Boer | Bos
    Vos | Peters | Hendriks | Dekker | Brabantse | Twentse | Limburgse | Zeeuwse | Friese
    Gelderse | Hollandse | Noordelijke | Rijn | Maas | Delta | Kempen | Veluwe | Oost | West
    Nedertech
    """
)
CORES = _entries(
    """
    Precisietechniek | Metaalbewerking | Kunststoffen | Fotonica | Vacuümtechniek | Machinebouw
    Chemie | Biotech | Halfgeleiders | Robotica | Sensoren | Composieten | Waterstof | Energie
    Logistiek | Software | Data | Optica | Coatings | Elektronica | Medical | Foods | Recycling
    Installatietechniek | Staalbouw | Aandrijvingen | Lasertechniek | Microsystemen | Batterijen
    Verpakking
    """
)
LEGAL = _entries(
    """
    B.V. | B.V. | B.V. | N.V. | Groep | Holding B.V. | & Zonen B.V.
    """
)
STARTUP_PARTS = _entries(
    """
    Qubi | Nano | Foton | Hydro | Circu | Agri | Medi | Robo | Chip
    """
)
STARTUP_ENDS = _entries(
    """
    x | lab | tics | ly | ium | go | wise | forge
    """
)
FIRST = _entries(
    """
    Anne | Bram | Daan | Emma | Fleur | Gijs | Hanna | Iris | Jeroen | Karim | Lotte | Mila
    Noah | Olga | Pieter | Roos | Sanne | Thijs | Umar | Vera | Willem | Yara | Zoë | Sem
    Julia | Lucas | Sophie | Finn | Noor | Ahmed
    """
)
LAST = _entries(
    """
    de Jong | Jansen | de Vries | van den Berg | van Dijk | Bakker | Janssen | Visser | Smit
    Meijer | de Boer | Mulder | de Groot | Bos | Vos | Peters | Hendriks | van Leeuwen | Dekker
    Brouwer | El Idrissi | Yılmaz | Öztürk
    """
)
COMMENTS = [
    "Herkenbaar: bij ons speelt precies hetzelfde.",
    "Wij hebben de netbeheerder hierover ook aangeschreven, zonder resultaat.",
    "Goed dat dit op de agenda komt. Kunnen wij aanvullende cijfers leveren?",
    "De omgevingsvergunning duurde bij ons veertien maanden.",
    "Is er al contact geweest met het ministerie?",
    "Wij steunen dit signaal namens de regio.",
]
EVIDENCE = [
    "",
    "",
    "Wij ondervinden hetzelfde knelpunt bij onze vestiging.",
    "Onze aanvraag ligt al een jaar stil.",
    "Extra kosten: circa 40 duizend euro.",
]

STATUS_WEIGHTS = {
    "concept": 5,
    "ingediend": 14,
    "in_behandeling": 10,
    "aanvulling_gevraagd": 3,
    "aanvaard": 25,
    "samengevoegd": 3,
    "niet_ontvankelijk": 5,
    "geagendeerd": 8,
    "besproken": 8,
    "besloten": 8,
    "afgehandeld": 11,
}
VISIBILITY_WEIGHTS = {"openbaar": 55, "tafel": 35, "vertrouwelijk": 10}
ORG_TYPE_WEIGHTS = {
    "mkb": 40,
    "bedrijf": 18,
    "startup": 12,
    "brancheorganisatie": 4,
    "universiteit": 1,
    "hogeschool": 2,
    "to2-instituut": 1,
    "umc": 1,
    "ministerie": 0.3,
    "provincie": 0.7,
    "gemeente": 8,
    "waterschap": 1,
    "uitvoeringsorganisatie": 1,
    "financier": 3,
    "overig": 7,
}
TRIAGED = {s for s in STATUS_WEIGHTS if s not in ("concept", "ingediend")}
ACCEPTED = {"aanvaard", "geagendeerd", "besproken", "besloten", "afgehandeld"}


# Filling in ----------------------------------------------------------------------


def weighted(rng: random.Random, weights: dict[str, float], n: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=n)


def fill(rng: random.Random, template: str, **extra: str) -> str:
    topic, topic2 = rng.sample(TOPICS, 2)
    actor, actor2 = rng.sample(ACTORS, 2)
    problem = rng.choice(PROBLEMS)
    values = {
        "topic": topic,
        "Topic": topic[0].upper() + topic[1:],
        "topic2": topic2,
        "facility": rng.choice(FACILITIES),
        "city": rng.choice(CITIES),
        "problem": problem,
        "Problem": problem.capitalize(),
        "actor": actor,
        "Actor": actor[0].upper() + actor[1:],
        "actor2": actor2,
        "cause": rng.choice(CAUSES),
        "solution": rng.choice(SOLUTIONS),
        "regulation": rng.choice(REGULATIONS)[0],
        "n": str(rng.randint(2, 30)),
        "k": str(rng.randint(5, 900)),
    }
    values.update(extra)
    return template.format(**values)


def org_name(rng: random.Random, type_slug: str, ministries: list[str]) -> str:
    city = rng.choice(CITIES)
    if type_slug in ("mkb", "bedrijf", "overig"):
        return f"{rng.choice(PREFIXES)} {rng.choice(CORES)} {city} {rng.choice(LEGAL)}"
    if type_slug == "brancheorganisatie":
        return f"Vereniging {rng.choice(CORES)} {city}"
    if type_slug == "financier":
        return f"{rng.choice(PREFIXES)} Invest {city}"
    if type_slug == "startup":
        return f"{rng.choice(STARTUP_PARTS)}{rng.choice(STARTUP_ENDS)} {city} B.V."
    if type_slug == "ministerie" and ministries:
        return rng.choice(ministries)
    labels = {
        "universiteit": "Universiteit",
        "hogeschool": "Hogeschool",
        "to2-instituut": "Kennisinstituut",
        "umc": "UMC",
        "provincie": "Provincie",
        "gemeente": "Gemeente",
        "waterschap": "Waterschap",
        "uitvoeringsorganisatie": "Uitvoeringsdienst",
    }
    return f"{labels.get(type_slug, 'Organisatie')} {city}"
