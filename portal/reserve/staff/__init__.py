"""The recruiters' side of the Reserve: engagements to decide, the career queue."""
