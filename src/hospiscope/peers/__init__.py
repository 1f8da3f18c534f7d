"""Peer groups: exclusive stratifications (type, size, region) and user-defined peer lists."""

from hospiscope.peers.lists import create_peer_list, delete_peer_list, peer_lists
from hospiscope.peers.strata import Stratification, load_stratifications, refresh_peer_groups

__all__ = [
    "Stratification",
    "create_peer_list",
    "delete_peer_list",
    "load_stratifications",
    "peer_lists",
    "refresh_peer_groups",
]
