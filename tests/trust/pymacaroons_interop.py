#!/usr/bin/env python3
"""pymacaroons side of the interop test. Usage:
  pymacaroons_interop.py check
  pymacaroons_interop.py mint   JSON   -> {"token": ..., "discharges": [...]}
  pymacaroons_interop.py verify JSON   -> {"ok": bool, "error": str}
Keys are hex; tokens are V2 in URL-safe base64 without padding."""
import binascii
import json
import sys

from pymacaroons import MACAROON_V2, Macaroon, Verifier


def mint(req):
    m = Macaroon(location=req.get("location", ""), identifier=req["id"],
                 key=binascii.unhexlify(req["key"]), version=MACAROON_V2)
    for caveat in req.get("caveats", []):
        m.add_first_party_caveat(caveat)
    discharges = []
    third = req.get("third_party")
    if third:
        key = binascii.unhexlify(third["key"])
        m.add_third_party_caveat(third["location"], key, third["id"])
        d = Macaroon(location=third["location"], identifier=third["id"], key=key,
                     version=MACAROON_V2)
        for caveat in third.get("discharge_caveats", []):
            d.add_first_party_caveat(caveat)
        discharges.append(m.prepare_for_request(d).serialize())
    return {"token": m.serialize(), "discharges": discharges}


def verify(req):
    m = Macaroon.deserialize(req["token"])
    discharges = [Macaroon.deserialize(d) for d in req.get("discharges", [])]
    v = Verifier()
    for predicate in req.get("satisfy", []):
        v.satisfy_exact(predicate)
    try:
        ok = v.verify(m, binascii.unhexlify(req["key"]), discharges)
        return {"ok": bool(ok), "error": ""}
    except Exception as e:  # pymacaroons signals every failure by raising
        return {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}


def main():
    if sys.argv[1] == "check":
        return 0
    request = json.loads(sys.argv[2])
    result = mint(request) if sys.argv[1] == "mint" else verify(request)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
