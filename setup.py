"""Packaging for the Learning Citizen XBlock suite."""
import os

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def load_requirements(path):
    """Read unpinned requirement lines (the *.in file) so pins stay in requirements/*.txt."""
    with open(os.path.join(HERE, path), encoding="utf-8") as handle:
        return [
            line.split("#")[0].strip()
            for line in handle
            if line.split("#")[0].strip() and not line.startswith(("-", "#"))
        ]


XBLOCKS = [
    "evidence-declaration = xblocks.evidence.block:EvidenceBlock",
    "completion-credit = xblocks.completion_credit.block:CompletionCreditBlock",
    "learning-citizen-standing = xblocks.standing.block:StandingBlock",
    "skills-assessment = xblocks.skills_assessment.block:SkillsAssessmentBlock",
]

setup(
    name="learning-citizen-xblocks",
    version="0.1.0",
    description="Open edX XBlocks and criteria ledger for Vietnam's Learning Citizen title",
    long_description=open(os.path.join(HERE, "README.md"), encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    # Ulmo runs Python 3.11, Verawood 3.12: install floors sit within both lines' pins (requirements/).
    python_requires=">=3.11",
    packages=find_packages(include=["xblocks", "xblocks.*"]) + ["xblocks.fixtures"],
    # fixtures/ lives at the top of the repository (the data is reviewed as data) but ships
    # inside the package so an installed LMS plugin finds its frameworks.
    package_dir={"xblocks.fixtures": "fixtures"},
    include_package_data=True,
    package_data={
        "xblocks.fixtures": ["**/*.json", "**/*.xml", "**/*.csv", "**/*.jsonl"],
        "xblocks": [
            "criteria/schemas/*.json",
            "*/templates/**/*",
            "*/static/**/*",
            "*/public/**/*",
            "*/scenarios/*.xml",
            "translations/*/LC_MESSAGES/*",
            "ledger/locale/*/LC_MESSAGES/*",
            "reports/locale/*/LC_MESSAGES/*",
            "credentials/locale/*/LC_MESSAGES/*",
            "relay/locale/*/LC_MESSAGES/*",
        ],
    },
    install_requires=load_requirements("requirements/base.in"),
    extras_require={
        # The command on MariaDB/MySQL or PostgreSQL outside an LMS (LEARNING_CITIZEN_DATABASE_URL).
        "standalone": load_requirements("requirements/standalone.in"),
        # The XBlock SDK workbench: `make demo`, `learning-citizen demo --serve`.
        "demo": load_requirements("requirements/demo.in"),
        # Credit over the Open edX event bus on Redis (the LMS already has it).
        "event-bus": load_requirements("requirements/event-bus.in"),
    },
    entry_points={
        "xblock.v1": XBLOCKS,
        "lms.djangoapp": [
            "learning_citizen_ledger = xblocks.ledger.apps:LedgerConfig",
            "learning_citizen_reports = xblocks.reports.apps:ReportsConfig",
            "learning_citizen_evidence = xblocks.evidence.apps:EvidenceConfig",
            "learning_citizen_credentials = xblocks.credentials.apps:CredentialsConfig",
            "learning_citizen_assessment = xblocks.skills_assessment.apps:AssessmentConfig",
            "learning_citizen_relay = xblocks.relay.apps:RelayConfig",
        ],
        "cms.djangoapp": [
            "learning_citizen_ledger = xblocks.ledger.apps:LedgerConfig",
            "learning_citizen_reports = xblocks.reports.apps:ReportsConfig",
            "learning_citizen_evidence = xblocks.evidence.apps:EvidenceConfig",
            "learning_citizen_credentials = xblocks.credentials.apps:CredentialsConfig",
            "learning_citizen_assessment = xblocks.skills_assessment.apps:AssessmentConfig",
        ],
        "console_scripts": ["learning-citizen = xblocks.cli:main"],
    },
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "License :: OSI Approved :: GNU Affero General Public License v3",
    ],
)
