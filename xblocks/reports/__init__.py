"""Membership (families, clans, communities, units, communes, provinces) and progress reports against the national targets."""
