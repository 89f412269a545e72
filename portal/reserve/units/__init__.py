"""Units: their training periods and attendance (unit staff), units and skills (admin)."""
