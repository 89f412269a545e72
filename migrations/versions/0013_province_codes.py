"""applications store the NIS code of their province, not its name

Revision ID: 0013_province_codes
Revises: 0012_identity
Create Date: 2026-11-30 03:00:00

Names were stored as the region table spelled them (Liège, and Lüttich for the
German-speaking municipalities), which split one province in two in the recruiters'
filters and the dashboard. Every spelling in use (and the other languages' names, in case
one was typed in) becomes the province's NIS code; Brussels-Capital stays "".
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_province_codes"
down_revision = "0012_identity"
branch_labels = None
depends_on = None

CODES = {
    "10000": ("Antwerpen", "Anvers", "Antwerp"),
    "20001": ("Vlaams-Brabant", "Brabant flamand", "Flämisch-Brabant", "Flemish Brabant"),
    "20002": ("Brabant wallon", "Waals-Brabant", "Wallonisch-Brabant", "Walloon Brabant"),
    "30000": ("West-Vlaanderen", "Flandre occidentale", "Westflandern", "West Flanders"),
    "40000": ("Oost-Vlaanderen", "Flandre orientale", "Ostflandern", "East Flanders"),
    "50000": ("Hainaut", "Henegouwen", "Hennegau"),
    "60000": ("Liège", "Luik", "Lüttich"),
    "70000": ("Limburg", "Limbourg"),
    "80000": ("Luxembourg", "Luxemburg"),
    "90000": ("Namur", "Namen"),
}
# Going back: the name the region table used (the province's official language).
NAMES = {"10000": "Antwerpen", "20001": "Vlaams-Brabant", "20002": "Brabant wallon",
         "30000": "West-Vlaanderen", "40000": "Oost-Vlaanderen", "50000": "Hainaut",
         "60000": "Liège", "70000": "Limburg", "80000": "Luxembourg", "90000": "Namur"}

applications = sa.table("applications", sa.column("province", sa.String))


def upgrade():
    for code, names in CODES.items():
        op.execute(applications.update().where(applications.c.province.in_(names))
                   .values(province=code))


def downgrade():
    for code, name in NAMES.items():
        op.execute(applications.update().where(applications.c.province == code)
                   .values(province=name))
