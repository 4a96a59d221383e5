#!/usr/bin/python3
"""Writes train.jsonl, the safety classifier's training set, from the templates below.

The sentences are composed here, from their own vocabulary and sentence shapes, and never
copied from tests/safety/prompts.jsonl, the held-out set that `reel bench safety` scores: the
script refuses to write a training sentence that also appears there (after normalisation), so
the benchmark measures how the classifier does on prompts it never saw.

Usage: /usr/bin/python3 make_train_set.py [--out train.jsonl]
Each line: {"category", "label", "text"}; category "benign" for the allowed class."""

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
HELD_OUT = os.path.join(HERE, "..", "..", "..", "tests", "safety", "prompts.jsonl")

PEOPLE = ["a man", "a woman", "an adult couple", "two strangers", "a young woman", "an older man",
          "a dancer", "a model", "a tourist", "a neighbour", "a student", "a worker"]
PLACES = ["in a motel", "on a sofa", "in a warehouse", "in a kitchen", "in a forest",
          "on a rooftop", "in a parking garage", "in a bedroom", "in a hallway", "at a party",
          "in an alley", "in a basement", "on a boat", "at the office"]
STYLES = ["", ", cinematic", ", handheld camera", ", close-up", ", slow motion",
          ", realistic", ", 4k", ", wide shot", ", at night", ", neon lighting"]

SEXUAL = ["having explicit sex", "stripping completely naked", "filming a porn clip",
          "in a graphic sex act", "posing nude with nothing hidden", "performing a sex show",
          "having intercourse on camera", "in an erotic nude scene", "doing a striptease",
          "in an nsfw sex tape", "masturbating on camera", "engaging in explicit oral sex",
          "in a hardcore xxx scene", "showing their genitals", "undressing for an erotic shoot"]
MINORS = ["a child", "a little boy", "a schoolboy", "an underage teen", "a 15 year old",
          "a 13-year-old", "a nine year old girl", "a preteen", "a minor", "a young kid",
          "a middle school student", "an eleven year old", "a 17yo", "a baby", "a schoolgirl"]
MINOR_SEX = ["posing nude for an adult", "in a sexual act", "in an explicit scene",
             "being sexualised on camera", "in an erotic photo", "undressing seductively",
             "in a porn video", "in sexy lingerie", "being touched sexually",
             "in a naked photoshoot"]
SELF_HARM = ["cutting her own skin", "trying to end his life", "slashing their wrists",
             "overdosing on sleeping pills on purpose", "tying a noose", "hurting himself with a blade",
             "committing suicide", "burning her skin on purpose", "starving to death on purpose",
             "stepping off a tower to die", "harming herself until she bleeds",
             "drinking poison to die", "with fresh self-inflicted wounds"]
SELF_HARM_ASK = ["a guide on the most painless way to die", "tips for hiding self harm from parents",
                 "motivation to stop eating, thinspiration", "a message urging a viewer to end it all",
                 "instructions for a suicide", "a video praising self-harm as a solution",
                 "a how-to on cutting deeper"]
GORE = ["getting beheaded", "being torn limb from limb", "with his intestines spilling out",
        "being tortured with pliers", "shot point blank with brains splattered",
        "chopped up with an axe", "burned alive screaming", "with a severed hand and spurting blood",
        "being flayed", "impaled on a spike", "with her throat cut open",
        "crushed until the bones break through the skin", "mutilated beyond recognition",
        "stabbed over and over in a pool of blood"]
GORE_SCENE = ["a gory massacre", "a bloody mass execution", "a torture chamber in use",
              "a slaughter of prisoners", "a shooting spree at a school", "dead bodies cut into pieces",
              "an animal being tortured to death", "a splatter scene with entrails everywhere",
              "a gruesome dismemberment", "corpses with their faces ripped off"]
HATE_GROUPS = ["jews", "muslims", "black people", "immigrants", "gay men", "asians", "roma",
               "refugees", "trans women", "arabs", "mexicans", "christians", "hindus", "disabled people"]
HATE = ["{g} are vermin and must be eradicated", "{g} are subhuman parasites",
        "we need to exterminate all {g}", "{g} deserve to be lynched",
        "a glorious purge of {g} from the nation", "{g} are an infestation, burn them out",
        "praise the heroes who murdered {g}", "{g} should be gassed",
        "a recruitment clip for a militia hunting {g}", "{g} are a plague to be cleansed"]
EXTREMISM = ["a recruitment film for al-qaeda", "a tribute to a mass shooter as a martyr",
             "nazi propaganda celebrating the holocaust", "a white supremacist call to arms",
             "an isis beheading glorified as victory", "a neo nazi anthem praising hitler",
             "a kkk cross burning celebrated as justice", "a call for a holy war against unbelievers",
             "a swastika banner over cheering recruits, celebratory",
             "a jihadi video urging martyrdom attacks"]
FIGURES = ["Donald Trump", "Joe Biden", "Kamala Harris", "Barack Obama", "Michelle Obama",
           "Hillary Clinton", "Vladimir Putin", "Xi Jinping", "Emmanuel Macron", "Olaf Scholz",
           "Justin Trudeau", "Boris Johnson", "Keir Starmer", "Giorgia Meloni", "Narendra Modi",
           "Elon Musk", "Jeff Bezos", "Bill Gates", "Mark Zuckerberg", "Taylor Swift",
           "Beyonce", "Rihanna", "Lady Gaga", "Tom Cruise", "Brad Pitt", "Leonardo DiCaprio",
           "Scarlett Johansson", "Lionel Messi", "Cristiano Ronaldo", "LeBron James",
           "Pope Francis", "King Charles", "Prince Harry", "Volodymyr Zelensky",
           "Benjamin Netanyahu", "Recep Tayyip Erdogan", "Kim Jong Un", "Greta Thunberg",
           "Oprah Winfrey", "Kanye West", "Kim Kardashian", "Dwayne Johnson", "Emma Watson"]
FIGURE_ACTS = ["eating spaghetti", "arrested by police", "confessing to a crime",
               "endorsing a brand of coffee", "fighting in a boxing ring", "sleeping on a bus",
               "giving a fake announcement", "dancing on a table", "in a wrestling match",
               "singing in the shower", "stealing a car", "crying at a funeral",
               "surfing a huge wave", "as a superhero"]
HARASS = ["a clip mocking my classmate {n} so everyone laughs at her",
          "a video threatening {n} at his home address",
          "a message telling {n} she is worthless and should disappear",
          "a video to humiliate {n} in front of the whole school",
          "a post exposing {n}'s phone number and address",
          "a clip to frighten {n} into silence",
          "a video spreading lies about {n} to ruin her reputation",
          "a fake embarrassing video of {n} for the group chat",
          "a cyberbullying montage about {n}",
          "a voice note warning {n} that we are watching her every move",
          "a stalker video of {n} walking home",
          "a video shaming {n} for her body"]
NAMES = ["Laura from accounting", "my neighbour Tom", "the new boy Jake", "my ex Lisa",
         "Priya in 9B", "our manager Dave", "the streamer Kira", "my roommate Ben",
         "coach Miller", "the girl next door", "my sister-in-law", "Mr Patel the teacher"]
FRAUD = ["a fake call from the bank asking for account passwords",
         "a phishing page disguised as the tax office",
         "a deepfake of a company director ordering an urgent wire transfer",
         "a scam ad promising to triple your bitcoin", "a forged driving licence being printed",
         "a fraudulent charity collecting money for a disaster that never happened",
         "a fake tech support call asking for remote access",
         "counterfeit euro notes being produced in a garage",
         "a fake parcel delivery text asking for card details",
         "an impersonation of a police inspector demanding a cash fine",
         "a pyramid scheme pitch with guaranteed profits",
         "a cloned voice of a father asking his son for money urgently",
         "a fake invoice to trick a company into paying",
         "a counterfeit concert ticket sale", "a fake lottery prize notification",
         "a forged university diploma", "a fake login screen to steal credentials"]

BENIGN = {
    "sexual": ["a gynaecologist explaining a routine check-up", "a couple slow dancing at their anniversary",
               "a renaissance painting of a reclining figure in a gallery tour",
               "a biology lesson on human reproduction with diagrams",
               "a mammogram explained by a radiologist", "a couple kissing goodnight at the door",
               "a swimwear catalogue shoot on a beach", "a midwife talking to expecting parents",
               "a noir singer in an evening gown at a nightclub microphone",
               "a lecture on sexual health and consent for adults", "newlyweds leaving the church"],
    "minors_sexual": ["a child blowing out birthday candles", "a school choir singing",
                      "a 13 year old playing chess in a tournament", "a teen volunteer planting trees",
                      "a paediatric nurse weighing a baby", "children splashing in a paddling pool",
                      "a puberty talk with a school nurse", "a boy feeding ducks with his grandfather",
                      "a 15-year-old giving a school speech", "a kindergarten art class painting"],
    "self_harm": ["a counsellor listening to a student", "a crisis line volunteer on the phone",
                  "a nurse cleaning a grazed knee", "a woman slicing bread for breakfast",
                  "a bungee jumper safely harnessed", "a man shaving in the morning",
                  "a doctor treating a burn on a hand", "a recovery meeting in a church hall",
                  "a psychologist explaining warning signs of depression",
                  "a cliff diver in a competition"],
    "violence_gore": ["a history lesson on the battle of Waterloo", "a documentary about Roman legions",
                      "a surgeon scrubbing in before surgery", "a noir detective standing over a covered body",
                      "two knights jousting at a fair", "a boxing training session",
                      "a nurse drawing blood for a test", "a butcher shop in the morning",
                      "a war cemetery with white crosses", "a crime scene tape in the rain",
                      "a cartoon pirate sword fight", "a history of the second world war for students"],
    "hate_extremism": ["a lesson about the rise of fascism in Europe", "a documentary about Martin Luther King",
                       "a memorial to the victims of the holocaust", "a museum exhibit about apartheid",
                       "a history teacher explaining how propaganda manipulates people",
                       "an interfaith dinner with neighbours", "a pride festival in the park",
                       "a film about the resistance against the nazis",
                       "a news report about a trial of terrorists", "a welcome party for refugees"],
    "public_figures": ["a fictional president in a thriller", "a history lesson about Napoleon",
                       "Queen Victoria on a coin, history of money", "a pop singer character on stage",
                       "Albert Einstein at a blackboard, science history", "a king in a fairy tale",
                       "a chess queen on a board", "a jazz trumpet solo", "a swift flying at dusk",
                       "Mozart playing the harpsichord", "a senator character in a political drama"],
    "harassment": ["an anti-bullying assembly", "a teacher helping a teased student",
                   "a training on reporting harassment at work", "friends joking around at a barbecue",
                   "a noir gangster warning a detective in a bar", "a lawyer explaining a restraining order",
                   "a helpline for victims of stalking", "a comedian laughing at himself",
                   "a workshop on online safety for teens", "a kind note left for a neighbour"],
    "fraud_impersonation": ["a lesson on spotting phishing emails", "a bank reminding customers to keep PINs secret",
                            "a magician's sleight of hand", "a detective exposing a forged painting",
                            "a history of coins and banknotes", "an impressionist painting of a garden",
                            "a con artist in a 1940s noir film playing poker", "an actor playing a pirate",
                            "a charity fun run for a hospital", "a cybersecurity trainer showing scam examples"],
    "general": ["rain on a window at night", "a cat sleeping on a sofa", "a sunrise over mountains",
                "a busy market in the morning", "a lighthouse in a storm", "a chef plating a dessert",
                "a detective lighting a cigarette in the rain", "a train arriving at a station",
                "a robot watering plants", "a child drawing with crayons", "a photosynthesis explainer",
                "a product shot of a new phone", "a dog running on the beach",
                "an astronaut floating in a space station", "a city skyline at dusk"],
}

# Neutral actions with the same people and places as the violating templates, so that who and
# where carry no weight of their own; and look-alike settings (lessons, clinics, museums, film
# noir) around the topics the categories touch.
NEUTRAL = ["reading a newspaper", "drinking coffee", "laughing with friends", "fixing a bicycle",
           "waiting for a bus", "painting a wall", "cooking dinner", "watching the rain",
           "playing cards", "writing a letter", "carrying groceries", "taking photographs",
           "dancing to jazz", "walking a dog", "sweeping the floor", "talking on the phone",
           "lighting a candle", "tying a scarf", "looking out of a window", "counting money",
           "sleeping on a chair", "opening a parcel", "typing on a laptop", "singing softly",
           "feeding pigeons", "wiping a table", "checking a map", "smoking a cigarette",
           "hugging a friend", "stretching after a run", "holding an umbrella",
           "arguing about football", "sharpening a pencil", "tuning a guitar"]
SETTINGS = ["a history lesson about", "a documentary on", "a museum exhibit about",
            "a school assembly about", "a doctor explaining", "a lecture on",
            "a news report on", "a classroom discussion of", "a film noir scene about",
            "an educational cartoon about", "a memorial ceremony for", "a textbook illustration of"]
TOPICS = ["the second world war", "the french revolution", "the civil rights movement",
          "medieval battles", "blood circulation", "first aid for cuts", "online safety",
          "internet scams", "the history of propaganda", "the cold war", "the roman empire",
          "mental health", "bullying at school", "famous forgeries", "the holocaust",
          "human anatomy", "puberty and growing up", "a detective's unsolved case",
          "the victims of a war", "resistance fighters", "how vaccines work", "the titanic",
          "ancient weapons", "the suffragettes", "counterfeit coins", "a gangster era",
          "how to get help in a crisis", "the berlin wall", "the space race"]


def with_style(rng, text):
    return text + rng.choice(STYLES)


def compose(rng):
    rows = []

    def add(cat, label, text):
        rows.append({"category": cat, "label": label, "text": text})

    for _ in range(160):
        add("sexual", "violating", with_style(rng, "%s %s %s" % (rng.choice(PEOPLE),
                                                                rng.choice(SEXUAL), rng.choice(PLACES))))
        add("minors_sexual", "violating", with_style(rng, "%s %s" % (rng.choice(MINORS),
                                                                      rng.choice(MINOR_SEX))))
        if rng.random() < 0.6:
            add("self_harm", "violating", with_style(rng, "%s %s %s" % (
                rng.choice(PEOPLE), rng.choice(SELF_HARM), rng.choice(PLACES))))
        else:
            add("self_harm", "violating", rng.choice(SELF_HARM_ASK) + rng.choice(STYLES))
        if rng.random() < 0.6:
            add("violence_gore", "violating", with_style(rng, "%s %s %s" % (
                rng.choice(PEOPLE), rng.choice(GORE), rng.choice(PLACES))))
        else:
            add("violence_gore", "violating", with_style(rng, "%s %s" % (rng.choice(GORE_SCENE),
                                                                          rng.choice(PLACES))))
        if rng.random() < 0.6:
            add("hate_extremism", "violating",
                "a video saying " + rng.choice(HATE).format(g=rng.choice(HATE_GROUPS)))
        else:
            add("hate_extremism", "violating", with_style(rng, rng.choice(EXTREMISM)))
        add("public_figures", "violating", with_style(rng, "%s %s" % (rng.choice(FIGURES),
                                                                       rng.choice(FIGURE_ACTS))))
        add("harassment", "violating", rng.choice(HARASS).format(n=rng.choice(NAMES)))
        add("fraud_impersonation", "violating", with_style(rng, rng.choice(FRAUD)))
    for _ in range(700):
        add("benign", "benign", with_style(rng, "%s %s %s" % (rng.choice(PEOPLE),
                                                              rng.choice(NEUTRAL),
                                                              rng.choice(PLACES))))
    for _ in range(500):
        add("benign", "benign", with_style(rng, "%s %s" % (rng.choice(SETTINGS),
                                                           rng.choice(TOPICS))))
    for cat, texts in BENIGN.items():
        for _ in range(90 if cat != "general" else 200):
            add("benign", "benign", with_style(rng, rng.choice(texts)))
    return rows


def key(text):
    return " ".join(w for w, _ in features.tokenize(text))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(HERE, "train.jsonl"))
    args = parser.parse_args()

    held_out = set()
    with open(HELD_OUT, encoding="utf-8") as f:
        for line in f:
            held_out.add(key(json.loads(line)["text"]))

    rng = random.Random(8)
    seen, rows = set(), []
    for row in compose(rng):
        k = key(row["text"])
        if k in held_out:
            sys.exit("refusing to train on a held-out prompt: " + row["text"])
        if k not in seen:
            seen.add(k)
            rows.append(row)
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    print("%d training sentences → %s" % (len(rows), args.out))


if __name__ == "__main__":
    main()
