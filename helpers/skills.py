"""The one place where a skill's spelling becomes its canonical display name.

Every write of a skill name (candidate skills, job skills, imports) goes through
`canonical_skill_name`, so `NodeJS`, `node js` and `Node.js` are stored the same way and the
recommendation engine can match names exactly.
"""

import re

# Canonical names: the SPA's 16 (api-contract 2.6) first, then other common ones.
CANONICAL_SKILLS = [
    "React",
    "Node.js",
    "Python",
    "Angular",
    "Swift",
    "React Native",
    "Android",
    "Java",
    "Ruby on Rails",
    "Go",
    "Vue.js",
    "PHP",
    "DevOps",
    "Machine Learning",
    "Scala",
    "TypeScript",
    "JavaScript",
    "C#",
    "C++",
    "C",
    "Kotlin",
    "Ruby",
    "Rust",
    "Django",
    "Flask",
    "FastAPI",
    "Spring",
    ".NET",
    "Laravel",
    "Express",
    "Next.js",
    "Svelte",
    "iOS",
    "Flutter",
    "Dart",
    "PostgreSQL",
    "MySQL",
    "MongoDB",
    "Redis",
    "SQL",
    "GraphQL",
    "Docker",
    "Kubernetes",
    "AWS",
    "Azure",
    "GCP",
    "Terraform",
    "Linux",
    "Data Science",
    "Elixir",
    "Haskell",
    "Perl",
    "R",
]

# Other spellings, keyed by their folded form (see `_fold`).
_ALIASES = {
    "reactjs": "React",
    "react.js": "React",
    "nodejs": "Node.js",
    "node": "Node.js",
    "node js": "Node.js",
    "angularjs": "Angular",
    "angular.js": "Angular",
    "reactnative": "React Native",
    "react-native": "React Native",
    "ror": "Ruby on Rails",
    "rails": "Ruby on Rails",
    "ruby on rails": "Ruby on Rails",
    "rubyonrails": "Ruby on Rails",
    "golang": "Go",
    "vue": "Vue.js",
    "vuejs": "Vue.js",
    "vue js": "Vue.js",
    "ml": "Machine Learning",
    "machinelearning": "Machine Learning",
    "ts": "TypeScript",
    "js": "JavaScript",
    "ecmascript": "JavaScript",
    "csharp": "C#",
    "c sharp": "C#",
    "cpp": "C++",
    "postgres": "PostgreSQL",
    "postgresql": "PostgreSQL",
    "psql": "PostgreSQL",
    "dotnet": ".NET",
    "asp.net": ".NET",
    "net": ".NET",
    "k8s": "Kubernetes",
    "mongo": "MongoDB",
    "nextjs": "Next.js",
    "expressjs": "Express",
    "dev ops": "DevOps",
    "amazon web services": "AWS",
    "google cloud": "GCP",
}

_SPACES = re.compile(r"\s+")


def _fold(name: str) -> str:
    return _SPACES.sub(" ", name).strip().casefold()


_LOOKUP = {_fold(name): name for name in CANONICAL_SKILLS} | _ALIASES


def canonical_skill_name(name: str) -> str:
    """Trim and collapse spaces, match case-insensitively, map aliases.

    A name that is not known is kept with its spaces tidied, so new technologies are accepted
    (and still compare equal regardless of case through the database constraints).
    """
    tidy = _SPACES.sub(" ", name).strip()
    folded = tidy.casefold()
    return _LOOKUP.get(folded) or _LOOKUP.get(folded.replace(" ", "")) or tidy
