// C2SP signed notes against the reference vectors of golang.org/x/mod/sumdb/note
// (PeterNeumann / EnochRoot), and checkpoints in the C2SP tlog-checkpoint form.
#include "westworld/audit/signed_note.h"

#include <gtest/gtest.h>

#include "westworld/audit/checkpoint.h"

namespace westworld::audit {
namespace {

const std::string kPeterVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const std::string kPeterSkey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const std::string kEnochVkey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const std::string kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const std::string kPeterSig =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const std::string kEnochSig =
    "\xE2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

TEST(SignedNote, ParsesReferenceVerifierKey) {
  const auto verifier = NoteVerifier::parse(kPeterVkey);
  ASSERT_TRUE(verifier);
  EXPECT_EQ(verifier->name(), "PeterNeumann");
  EXPECT_EQ(capability::to_hex(verifier->key_id()), "c74f20a3");
  EXPECT_EQ(verifier->vkey(), kPeterVkey);
}

TEST(SignedNote, RejectsMalformedVerifierKeys) {
  EXPECT_FALSE(NoteVerifier::parse(""));
  EXPECT_FALSE(
      NoteVerifier::parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
  EXPECT_FALSE(NoteVerifier::parse(
      "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="));
  EXPECT_FALSE(
      NoteVerifier::parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
  EXPECT_FALSE(
      NoteVerifier::parse("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
  EXPECT_FALSE(NoteVerifier::parse("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
}

TEST(SignedNote, SignerKeyMatchesReferenceAndSignsIdentically) {
  const NoteSigner signer = NoteSigner::parse(kPeterSkey);
  EXPECT_EQ(signer.verifier().vkey(), kPeterVkey);
  EXPECT_EQ(signer.private_key(), kPeterSkey);
  EXPECT_EQ(signer.sign(kText), kText + "\n" + kPeterSig);
}

TEST(SignedNote, OpensReferenceNoteAndIgnoresOtherSigners) {
  const auto peter = NoteVerifier::parse(kPeterVkey);
  const auto enoch = NoteVerifier::parse(kEnochVkey);
  ASSERT_TRUE(peter && enoch);
  const std::string both = kText + "\n" + kPeterSig + kEnochSig;
  EXPECT_EQ(peter->open(both), kText);
  EXPECT_EQ(enoch->open(both), kText);
  EXPECT_EQ(peter->open(kText + "\n" + kEnochSig), std::nullopt);
}

TEST(SignedNote, RejectsTamperedNotes) {
  const auto peter = NoteVerifier::parse(kPeterVkey);
  const std::string note = kText + "\n" + kPeterSig;
  std::string changed_text = note;
  changed_text[3] ^= 1;
  EXPECT_FALSE(peter->open(changed_text));
  std::string changed_sig = note;
  changed_sig[note.size() - 10] = changed_sig[note.size() - 10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(peter->open(changed_sig));
  EXPECT_FALSE(peter->open(kText));         // no signature block
  EXPECT_FALSE(peter->open(kText + "\n"));  // empty signature block
  EXPECT_FALSE(peter->open(kText + "\n" + kPeterSig.substr(0, kPeterSig.size() - 1)));
  EXPECT_FALSE(peter->open(kText + "\n" + "- PeterNeumann x08go/\n"));  // not an em dash
  EXPECT_FALSE(peter->open(""));
}

TEST(SignedNote, GeneratedKeysRoundTrip) {
  const NoteSigner signer = NoteSigner::generate("example.com/log");
  const NoteSigner reparsed = NoteSigner::parse(signer.private_key() + "\n");
  EXPECT_EQ(reparsed.verifier().vkey(), signer.verifier().vkey());
  const auto verifier = NoteVerifier::parse(signer.verifier().vkey());
  ASSERT_TRUE(verifier);
  EXPECT_EQ(verifier->open(signer.sign("hello\n")), "hello\n");
  EXPECT_THROW(signer.sign("no newline"), std::invalid_argument);
  EXPECT_THROW(NoteSigner::generate("bad name"), std::invalid_argument);
  EXPECT_THROW(NoteSigner::parse("PRIVATE+KEY+x+00000000+AAAA"), std::invalid_argument);
}

TEST(Checkpoint, TextFormAndParse) {
  Checkpoint checkpoint{"example.com/log", 3, {}};
  checkpoint.root.fill(0xab);
  const std::string text = checkpoint.text();
  EXPECT_EQ(text, "example.com/log\n3\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n");
  EXPECT_EQ(Checkpoint::parse(text), checkpoint);
  EXPECT_TRUE(Checkpoint::parse(text + "extension line\n"));
  EXPECT_FALSE(
      Checkpoint::parse("example.com/log\n03\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n"));
  EXPECT_FALSE(
      Checkpoint::parse("example.com/log\n-3\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n"));
  EXPECT_FALSE(Checkpoint::parse("example.com/log\n3\nq6ur\n"));
  EXPECT_FALSE(Checkpoint::parse("\n3\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n"));
  EXPECT_FALSE(Checkpoint::parse("example.com/log\n3\n"));
  EXPECT_FALSE(Checkpoint::parse(text + "\n"));
}

}  // namespace
}  // namespace westworld::audit
