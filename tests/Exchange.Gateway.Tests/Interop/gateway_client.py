"""A county system written in Python: a second, independent gRPC stack (grpcio) calling the gateway over mutual TLS
with a participant's PEM certificate, through client code generated from protos/ with grpc_tools.protoc. Prints one
JSON object with what it saw; refusals carry the raw google.rpc.Status trailer (base64) for the caller to decode.

Usage: python3 gateway_client.py GENERATED_DIR ADDRESS CA_PEM HOSPITAL_CERT HOSPITAL_KEY MUSEUM_CERT MUSEUM_KEY
                                 CITIZEN_ID INSURED_REGION
"""
import base64
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from exchange.medical.v1 import settlement_pb2, settlement_pb2_grpc  # noqa: E402
from exchange.v1 import common_pb2  # noqa: E402

(address, ca_path, hospital_cert, hospital_key, museum_cert, museum_key,
 citizen_id, insured_region) = sys.argv[2:10]
TIMEOUT = 20


def read(path):
    with open(path, "rb") as f:
        return f.read()


def channel(cert_path=None, key_path=None):
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(ca_path),
        private_key=read(key_path) if key_path else None,
        certificate_chain=read(cert_path) if cert_path else None)
    # The gateway's certificate names 127.0.0.1 among its subject alternative names: the address is verified as is.
    return grpc.secure_channel(address, credentials)


def refusal(error):
    trailers = dict(error.trailing_metadata() or ())
    details = trailers.get("grpc-status-details-bin")
    return {
        "code": error.code().name,
        "message": error.details(),
        "status_details": base64.b64encode(details).decode("ascii") if details else None,
    }


def visit(visit_id):
    return settlement_pb2.Visit(
        treatment_region="341021", citizen_id=citizen_id,
        hospital=settlement_pb2.Hospital(code="H34102100001", level=settlement_pb2.HOSPITAL_LEVEL_SECONDARY),
        visit_id=visit_id,
        fee_items=[
            settlement_pb2.FeeItem(item_code="XA01", catalogue_class=settlement_pb2.CATALOGUE_CLASS_A,
                                   amount=common_pb2.Money(fen=50000)),
            settlement_pb2.FeeItem(item_code="XB02", catalogue_class=settlement_pb2.CATALOGUE_CLASS_B,
                                   amount=common_pb2.Money(fen=12345)),
        ])


def pre_settle_request():
    return settlement_pb2.PreSettleRequest(
        insured_region=insured_region, visit=visit("PY-VISIT-1"),
        purpose=common_pb2.PURPOSE_OF_USE_MEDICAL_SETTLEMENT)


result = {}
with channel(hospital_cert, hospital_key) as hospital_channel:
    hospital = settlement_pb2_grpc.CrossRegionSettlementServiceStub(hospital_channel)
    person = hospital.GetInsuredPerson(settlement_pb2.GetInsuredPersonRequest(
        insured_region=insured_region, citizen_id=citizen_id,
        purpose=common_pb2.PURPOSE_OF_USE_MEDICAL_SETTLEMENT), timeout=TIMEOUT).person
    result["person"] = {
        "name": person.name,
        "person_number": person.person_number,
        "insured_region": person.insured_region,
        "status": settlement_pb2.InsuranceStatus.Name(person.status),
    }

    amounts = hospital.PreSettle(pre_settle_request(), timeout=TIMEOUT).amounts
    result["pre_settle"] = {
        "total": amounts.total.fen, "eligible": amounts.eligible.fen, "fund": amounts.fund_payment.fen,
        "personal": amounts.personal_payment.fen, "account": amounts.account_payment.fen,
        "cash": amounts.cash_payment.fen,
    }

with channel(museum_cert, museum_key) as museum_channel:
    museum = settlement_pb2_grpc.CrossRegionSettlementServiceStub(museum_channel)
    try:
        museum.Settle(settlement_pb2.SettleRequest(
            request_id="H34102100001202501021030000009", insured_region=insured_region, visit=visit("PY-VISIT-2"),
            purpose=common_pb2.PURPOSE_OF_USE_MEDICAL_SETTLEMENT), timeout=TIMEOUT)
        result["museum_settle"] = {"code": "OK"}
    except grpc.RpcError as error:
        result["museum_settle"] = refusal(error)

with channel() as anonymous_channel:
    anonymous = settlement_pb2_grpc.CrossRegionSettlementServiceStub(anonymous_channel)
    try:
        anonymous.PreSettle(pre_settle_request(), timeout=TIMEOUT)
        result["without_certificate"] = {"code": "OK"}
    except grpc.RpcError as error:
        result["without_certificate"] = refusal(error)

print(json.dumps(result))
