"""Which flows a set of NetworkPolicies allows, by the Kubernetes semantics (networking.k8s.io/v1):

- a pod selected by no policy of a direction accepts (or sends) everything in that direction;
- a selected pod allows only what some rule of some selecting policy allows;
- a flow needs the sender's egress and the receiver's ingress to allow it.

Peers: podSelector alone means the policy's namespace; namespaceSelector with podSelector means
both; ipBlock matches addresses outside the cluster. Only matchLabels is supported: the renderer
uses nothing else, and anything else fails loudly here.
"""

import ipaddress


class Pod:
    def __init__(self, namespace, labels, namespace_labels):
        self.namespace = namespace
        self.labels = dict(labels)
        self.namespace_labels = dict(namespace_labels, **{"kubernetes.io/metadata.name": namespace})

    def __repr__(self):
        return "%s/%s" % (self.namespace, self.labels.get("app.kubernetes.io/component") or self.labels)


class External:
    def __init__(self, address):
        self.address = ipaddress.ip_address(address)

    def __repr__(self):
        return str(self.address)


def matches(selector, labels):
    assert set(selector) <= {"matchLabels"}, "unsupported selector %r" % selector
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


def peer_matches(peer, policy_namespace, other):
    if "ipBlock" in peer:
        if not isinstance(other, External):
            return False
        block = peer["ipBlock"]
        inside = other.address in ipaddress.ip_network(block["cidr"])
        return inside and not any(other.address in ipaddress.ip_network(e) for e in block.get("except", []))
    if isinstance(other, External):
        return False
    if "namespaceSelector" in peer:
        if not matches(peer["namespaceSelector"], other.namespace_labels):
            return False
    elif other.namespace != policy_namespace:
        return False
    return matches(peer.get("podSelector", {}), other.labels)


def port_matches(ports, port, protocol):
    return not ports or any(p.get("protocol", "TCP") == protocol and p.get("port") in (None, port) for p in ports)


def side_allows(policies, pod, direction, other, port, protocol):
    if isinstance(pod, External):
        return True
    key = "ingress" if direction == "Ingress" else "egress"
    peers_key = "from" if direction == "Ingress" else "to"
    selecting = [p for p in policies if p["metadata"]["namespace"] == pod.namespace
                 and direction in p["spec"].get("policyTypes", ["Ingress"]) and matches(p["spec"]["podSelector"], pod.labels)]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get(key, []):
            peers = rule.get(peers_key)
            if port_matches(rule.get("ports"), port, protocol) and (
                    not peers or any(peer_matches(peer, policy["metadata"]["namespace"], other) for peer in peers)):
                return True
    return False


def allowed(policies, source, destination, port, protocol="TCP"):
    return (side_allows(policies, source, "Egress", destination, port, protocol)
            and side_allows(policies, destination, "Ingress", source, port, protocol))


def pods_of(objects):
    """A pod per Deployment (its template's labels), in a namespace with the Namespace's labels."""
    namespaces = {o["metadata"]["name"]: o["metadata"].get("labels", {}) for o in objects if o["kind"] == "Namespace"}
    return [Pod(o["metadata"]["namespace"], o["spec"]["template"]["metadata"]["labels"], namespaces[o["metadata"]["namespace"]])
            for o in objects if o["kind"] == "Deployment"]
