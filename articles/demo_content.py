"""Demo content for Newsroom: sections, fictional people and 30 original articles.

A plain data module (no Django imports), read by the ``load_demo_content`` management command.
All people are fictional. Research-news pieces other than the first describe generic, fictional
studies; their citations name a fictional "Example Research Group" and "Demo" journals.
"""

# A guideline several articles cite.
NICE_NG101 = {
    "citation": (
        "National Institute for Health and Care Excellence (NICE). Early and locally advanced breast "
        "cancer: diagnosis and management (NICE guideline NG101), 2018."
    ),
    "url": "https://www.nice.org.uk/guidance/ng101",
}

SECTIONS = [
    {
        "name": "Research News",
        "slug": "research-news",
        "shows_age_notice": True,
        "order": 1,
        "description": (
            "New studies explained in plain language: what researchers did, what they found and what it could mean for "
            "you."
        ),
    },
    {
        "name": "Treatment",
        "slug": "treatment",
        "order": 2,
        "description": (
            "Clear guides to surgery, chemotherapy, radiotherapy, hormone therapy and other treatments, with questions "
            "to take to your care team."
        ),
    },
    {
        "name": "Diagnosis",
        "slug": "diagnosis",
        "order": 3,
        "description": "From biopsies to pathology reports: what the tests involve and what the results mean.",
    },
    {
        "name": "Living Well",
        "slug": "living-well",
        "order": 4,
        "description": (
            "Practical support for everyday life during and after breast cancer, for you and the people close to you."
        ),
    },
    {
        "name": "Prevention and Risk",
        "slug": "prevention-and-risk",
        "order": 5,
        "description": "What affects breast cancer risk, what you can change, and how screening works.",
    },
]

PEOPLE = [
    {
        "slug": "ana-kowalski",
        "name": "Ana Kowalski",
        "credentials": "Science writer",
        "bio": (
            "Ana writes about breast cancer research for Newsroom, turning new studies into clear, careful explainers. "
            "Before joining the charity she worked in a laboratory studying how cells pass growth signals. She is "
            "especially interested in how early findings make their way into clinical trials."
        ),
    },
    {
        "slug": "rowan-pellegrew",
        "name": "Rowan Pellegrew",
        "credentials": "Health writer",
        "bio": (
            "Rowan has written patient information for hospitals and charities for more than a decade. He focuses on "
            "treatment guides and on helping readers prepare questions for their appointments. Outside work he "
            "volunteers with a local carers' group."
        ),
    },
    {
        "slug": "hattie-lindqvist-marsh",
        "name": "Hattie Lindqvist-Marsh",
        "credentials": "Science writer",
        "bio": (
            "Hattie covers clinical trials, screening and supportive care research. She trained in public health and "
            "always reads the methods section of a paper first. She also edits Newsroom's research summaries."
        ),
    },
    {
        "slug": "idris-fenwick",
        "name": "Idris Fenwick",
        "credentials": "Health and wellbeing writer",
        "bio": (
            "Idris writes about life during and after breast cancer, from fatigue and food to work and relationships. "
            "His writing draws on many conversations with readers and their families. He cares most about practical "
            "advice that fits real lives."
        ),
    },
    {
        "slug": "miriam-oyelaran-holt",
        "name": "Dr Miriam Oyelaran-Holt",
        "credentials": "MD, medical oncologist",
        "bio": (
            "Miriam is a consultant medical oncologist who specialises in breast cancer. She reviews Newsroom's "
            "articles on treatment and research for accuracy and balance. Her clinical interests include secondary "
            "breast cancer and clinical trials."
        ),
    },
    {
        "slug": "gwen-tamworthy",
        "name": "Gwen Tamworthy",
        "credentials": "RN, breast care nurse specialist",
        "bio": (
            "Gwen has worked as a breast care nurse specialist for many years, supporting people from diagnosis "
            "through treatment and beyond. She reviews articles on side effects, diagnosis and living well. She "
            "believes no question is too small to ask."
        ),
    },
    {
        "slug": "felix-ardenne",
        "name": "Dr Felix Ardenne",
        "credentials": "PhD, cancer epidemiologist",
        "bio": (
            "Felix is an epidemiologist who studies breast cancer risk and screening. He reviews Newsroom's articles "
            "on prevention, risk and screening research. He enjoys explaining what numbers can, and cannot, tell us."
        ),
    },
]

ARTICLES = [
    # -------------------- Research News
    {
        "slug": "sorafenib-anastrozole-resistance-asco-2008",
        "title": (
            "Could a liver cancer drug help hormone therapy work again? Early findings on sorafenib and anastrozole"
        ),
        "section": "research-news",
        "tags": [
            "hormone therapy",
            "aromatase inhibitors",
            "metastatic breast cancer",
            "targeted therapy",
            "clinical trials",
        ],
        "summary": (
            "In a small study reported at the 2008 ASCO Breast Cancer Symposium, 27 women whose "
            "hormone-receptor-positive breast cancer had stopped responding to anastrozole were given sorafenib, a "
            "drug approved for liver cancer. Afterwards, about a quarter of the cancers seemed to respond to "
            "anastrozole again. The study was small and sorafenib is not approved for breast cancer, so this is a lead "
            "for research, not a new treatment."
        ),
        "body": (
            "<p>Hormone therapy is one of the most important treatments for hormone-receptor-positive breast cancer, "
            "the most common type. But for some people there comes a point when the cancer stops responding and starts "
            "to grow again. Finding ways to overcome this resistance is a major goal of breast cancer research.</p>"
            "<p>A small study reported at the 2008 ASCO Breast Cancer Symposium looked at one possible approach: "
            "giving a targeted drug called sorafenib (brand name Nexavar) to women whose cancer had stopped responding "
            "to the hormone therapy anastrozole (brand name Arimidex).</p>"
            "<h2>What the researchers did</h2>"
            "<p>Anastrozole is an aromatase inhibitor. It works by lowering the amount of oestrogen the body makes, "
            "taking away a signal that hormone-sensitive cancer cells use to grow. Aromatase inhibitors are mostly "
            "used by women who have been through the menopause.</p>"
            "<p>The study included 27 women whose hormone-receptor-positive breast cancer had come back or grown while "
            "they were taking anastrozole. In other words, their cancer appeared to have become resistant to it. The "
            "women were given sorafenib, a type of drug called a kinase inhibitor. Kinases are proteins that help pass "
            "growth signals inside cells, and blocking them can interfere with how cancer cells grow. Sorafenib is "
            "approved to treat liver cancer. It is not approved for breast cancer.</p>"
            "<h2>What they found</h2>"
            "<p>After treatment with sorafenib, about 25% of the cancers – roughly one in four – seemed to respond to "
            "anastrozole again. This hints that, for some women, it might be possible to restore the effect of a "
            "hormone therapy that had stopped working.</p>"
            "<h2>Why it matters</h2>"
            "<p>When a cancer becomes resistant to hormone therapy, the treatments that follow can bring more side "
            "effects. If hormone therapy could be made to work again, some people might be able to stay on a gentler "
            "treatment for longer. That is why researchers are interested in how targeted drugs and hormone therapy "
            "might work together.</p>"
            "<h2>What this means for you</h2>"
            "<p>It is important to be clear about what this study does <strong>not</strong> show:</p>"
            "<ul>"
            "<li><strong>It was small.</strong> With only 27 women taking part, the results could partly be down to "
            "chance. They need to be tested in larger studies.</li>"
            "<li><strong>It was early.</strong> Findings presented at a conference are a first look. Bigger trials are "
            "needed to show whether this approach really helps people live longer or better.</li>"
            "<li><strong>Sorafenib is not approved for breast cancer.</strong> It is not a standard treatment option, "
            "and like all medicines it has side effects of its own.</li></ul>"
            "<p>If you are taking anastrozole or another aromatase inhibitor, please do not stop or change your "
            "treatment because of this news. If you are worried that your hormone therapy may no longer be working, or "
            "you would like to know whether a clinical trial might be right for you, talk to your oncologist or breast "
            "care nurse. They know your situation and can help you weigh up your options.</p>"
        ),
        "source": "2008 ASCO Breast Cancer Symposium",
        "authors": ["ana-kowalski"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 22,
        "published_days_ago": 20,
        "status": "published",
        "featured": True,
        "references": [
            {
                "citation": (
                    "Study of sorafenib with anastrozole in hormone-receptor-positive metastatic breast cancer "
                    "resistant to aromatase inhibitors. Presented at the 2008 ASCO Breast Cancer Symposium."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "gentle-exercise-during-chemotherapy-eases-fatigue",
        "title": "Gentle exercise during chemotherapy may ease fatigue, pilot study suggests",
        "section": "research-news",
        "tags": ["exercise", "chemotherapy", "side effects", "clinical trials"],
        "summary": (
            "A small pilot study found that women who followed a supervised, gentle exercise programme during "
            "chemotherapy for early breast cancer reported less tiredness than those who had usual care. The study was "
            "small, but it adds to a growing picture that staying active, safely and at your own pace, can help during "
            "treatment."
        ),
        "body": (
            "<p>Fatigue is one of the most common side effects of chemotherapy. It is not the same as ordinary "
            "tiredness: many people describe a heavy, draining exhaustion that does not always lift after a good "
            "night's sleep. A new pilot study suggests that gentle, supervised exercise may help.</p>"
            "<h2>What the researchers did</h2>"
            "<p>Researchers invited women having chemotherapy for early breast cancer to take part in a small "
            "randomised pilot study. Half were offered a programme of gentle exercise – mostly brisk walking and light "
            "strength work, supported by a physiotherapist – alongside their usual care. The other half had usual care "
            "only.</p>"
            "<p>Everyone completed questionnaires about their energy levels, mood and daily activities at the start, "
            "during treatment and a few weeks after chemotherapy finished.</p>"
            "<h2>What they found</h2>"
            "<p>Women in the exercise group tended to report less fatigue by the end of chemotherapy than women in the "
            "usual care group. They also said they felt more able to manage everyday tasks. Most people in the "
            "exercise group kept going with the programme, and no serious problems linked to the exercise were "
            "reported.</p>"
            "<p>Because this was a pilot study, its main purpose was to test whether a larger trial would be "
            "practical. The numbers were too small to be sure how big the benefit really is.</p>"
            "<h2>What this means for you</h2>"
            "<p>This study fits with a wider body of research suggesting that being active during and after treatment "
            "is generally safe and may help with fatigue, mood and fitness. Exercise does need to suit you, though. A "
            "few tips:</p>"
            "<ul>"
            "<li>Start small. A short walk on a good day counts.</li>"
            "<li>Rest when you need to, especially in the days straight after a treatment.</li>"
            "<li>If you have a central line or a low white blood cell count, check with your team before swimming or "
            "using a busy gym.</li>"
            "<li>Stop and get advice if you feel dizzy, unusually breathless or have chest pain.</li></ul>"
            "<p>If you would like to be more active during treatment, ask your care team whether there are local "
            "exercise programmes for people with cancer, or whether a referral to a physiotherapist would help.</p>"
        ),
        "source": "Demo Journal of Oncology Nursing, 2023",
        "authors": ["hattie-lindqvist-marsh"],
        "reviewer": "gwen-tamworthy",
        "reviewed_days_ago": 10,
        "published_days_ago": 8,
        "status": "published",
        "featured": True,
        "references": [
            {
                "citation": (
                    "Example Research Group. Supervised gentle exercise during chemotherapy for early breast cancer "
                    "and fatigue: a randomised pilot study. Demo Journal of Oncology Nursing, 2023."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "regular-arm-checks-catch-lymphoedema-early",
        "title": "Checking for arm swelling after surgery may help catch lymphoedema sooner",
        "section": "research-news",
        "tags": ["lymphoedema", "surgery", "side effects", "clinical trials"],
        "summary": (
            "Researchers found that regularly measuring the arms after breast cancer surgery picked up early signs of "
            "lymphoedema before people noticed symptoms themselves. Early support may stop mild swelling getting "
            "worse, so if you notice heaviness, tightness or swelling in your arm, hand or chest, tell your care team."
        ),
        "body": (
            "<p>Lymphoedema is swelling caused by a build-up of fluid in the body's tissues. After breast cancer "
            "treatment it can affect the arm, hand, breast or chest on the treated side. It happens when surgery or "
            "radiotherapy to the lymph nodes in the armpit disrupts the way lymph fluid drains.</p>"
            "<p>Lymphoedema can develop months or even years after treatment. Once it is established it is usually a "
            "long-term condition, although it can be managed well. That is why researchers are keen to find it as "
            "early as possible.</p>"
            "<h2>What the researchers did</h2>"
            "<p>In a study run across several breast clinics, people who had surgery that included removing lymph "
            "nodes from the armpit had their arms measured at regular follow-up appointments. The team compared the "
            "treated arm with the other arm and looked for small changes over time.</p>"
            "<p>When early changes were found, people were offered prompt support, such as advice on skin care, gentle "
            "exercises and, where needed, a fitted compression sleeve.</p>"
            "<h2>What they found</h2>"
            "<p>Regular measuring picked up early swelling in some people before they had noticed anything themselves. "
            "The researchers suggest that starting support at this stage might stop mild swelling from getting worse, "
            "although longer follow-up is needed to confirm this.</p>"
            "<h2>What this means for you</h2>"
            "<p>Not everyone who has lymph nodes removed will develop lymphoedema, and the risk is lower when fewer "
            "nodes are taken out. It still helps to know the early signs:</p>"
            "<ul>"
            "<li>a feeling of heaviness, tightness or fullness in your arm, hand or chest</li>"
            "<li>rings, watches or sleeves feeling tighter than usual</li>"
            "<li>visible swelling, or skin that feels firmer than before</li></ul>"
            "<p>Looking after the skin on the treated side can help too. Keep it moisturised, protect it from cuts, "
            "scratches and sunburn, and get advice quickly if you notice redness, warmth or pain, which could be a "
            "sign of infection.</p>"
            "<p>If you notice any changes, contact your breast care nurse or team and ask whether there is a "
            "lymphoedema service in your area. Early advice can make a real difference.</p>"
        ),
        "source": "Demo Journal of Supportive Cancer Care, 2024",
        "authors": ["rowan-pellegrew"],
        "reviewer": "gwen-tamworthy",
        "reviewed_days_ago": 60,
        "published_days_ago": 64,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Routine arm measurement after axillary surgery for breast cancer and "
                    "early detection of lymphoedema: a multi-clinic cohort study. Demo Journal of Supportive Cancer "
                    "Care, 2024."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "immunotherapy-before-surgery-triple-negative-phase-ii",
        "title": "Immunotherapy for early triple-negative breast cancer: what a new phase II trial adds",
        "section": "research-news",
        "tags": ["immunotherapy", "chemotherapy", "clinical trials"],
        "summary": (
            "A phase II trial looked at adding an immunotherapy drug to chemotherapy before surgery for early "
            "triple-negative breast cancer. More people in the combined group had no remaining cancer found at "
            "surgery, but immune-related side effects were more common, and larger, longer studies are needed."
        ),
        "body": (
            "<p>Triple-negative breast cancer does not have receptors for the hormones oestrogen or progesterone, and "
            "does not make large amounts of a protein called HER2. This means hormone therapy and HER2-targeted drugs "
            "do not work against it, and chemotherapy has long been the main drug treatment.</p>"
            "<p>Immunotherapy takes a different approach. Instead of attacking the cancer directly, these drugs help "
            "the body's own immune system recognise and fight cancer cells. Immunotherapy is already part of treatment "
            "for some people with triple-negative breast cancer, and researchers are still working out how best to use "
            "it.</p>"
            "<h2>What the researchers did</h2>"
            "<p>In a phase II trial, researchers studied people with early triple-negative breast cancer who were due "
            "to have chemotherapy before surgery (sometimes called neoadjuvant treatment). Participants were randomly "
            "assigned to chemotherapy alone or chemotherapy plus an immunotherapy drug known as a checkpoint "
            "inhibitor.</p>"
            "<p>The main thing the team measured was how many people had no invasive cancer left in the breast and "
            "lymph nodes at surgery. This is called a pathological complete response, and it is often linked with a "
            "better outlook.</p>"
            "<h2>What they found</h2>"
            "<p>A higher proportion of people in the immunotherapy group had a complete response at surgery. "
            "Immune-related side effects were also more common in that group. Because the immune system is being "
            "stimulated, it can sometimes affect healthy organs such as the thyroid, skin, bowel or lungs. Most of "
            "these side effects could be managed, but some needed treatment with steroids.</p>"
            "<p>The trial was not large enough, or long enough, to show whether the combination helps people live "
            "longer without the cancer coming back.</p>"
            "<h2>What this means for you</h2>"
            "<p>Results like these help build the case for larger trials and show who is most likely to benefit. If "
            "you have triple-negative breast cancer, your treatment plan will depend on the size and stage of the "
            "cancer, your general health and what is available where you are treated.</p>"
            "<p>If you are having immunotherapy, tell your team straight away about new symptoms such as diarrhoea, a "
            "rash, a cough, breathlessness or unusual tiredness. Ask your oncologist whether immunotherapy, or a "
            "clinical trial, could be an option for you.</p>"
        ),
        "source": "Demo Journal of Clinical Oncology Research, 2024",
        "authors": ["ana-kowalski", "rowan-pellegrew"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 112,
        "published_days_ago": 110,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Neoadjuvant chemotherapy with or without a checkpoint inhibitor in early "
                    "triple-negative breast cancer: a randomised phase II trial. Demo Journal of Clinical Oncology "
                    "Research, 2024."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "shorter-radiotherapy-schedules-patient-experience",
        "title": "Fewer trips to hospital: how people feel about shorter radiotherapy schedules",
        "section": "research-news",
        "tags": ["radiotherapy", "side effects", "life after treatment"],
        "summary": (
            "A survey study found that people who had a shorter course of radiotherapy after breast-conserving surgery "
            "valued making fewer hospital trips, and reported similar short-term skin soreness and tiredness to those "
            "on longer courses. Shorter schedules are not right for everyone, so ask your team what suits you."
        ),
        "body": (
            "<p>Radiotherapy after breast-conserving surgery helps lower the chance of the cancer coming back in the "
            "breast. In the past, a course of treatment often meant daily hospital visits for five weeks or more. "
            "Research over recent years has shown that, for many people, a shorter course using slightly larger doses "
            "each day can work just as well, and many centres now offer shorter schedules.</p>"
            "<p>But how do people having treatment feel about them? A new survey-based study set out to ask.</p>"
            "<h2>What the researchers did</h2>"
            "<p>Researchers asked people who had completed radiotherapy for early breast cancer to fill in "
            "questionnaires about their experience. Some had a short course lasting around a week; others had a longer "
            "course of three weeks or more. The questions covered side effects, travel, time off work, costs and how "
            "treatment fitted around family life.</p>"
            "<h2>What they found</h2>"
            "<p>People who had the shorter schedule were more likely to say treatment disrupted their lives less, "
            "mainly because they made fewer trips to hospital and needed less time away from work and caring. Skin "
            "soreness and tiredness were reported in both groups and, for most people, had settled within a few weeks "
            "of finishing.</p>"
            "<p>Some people said they had worried at first that a shorter course might be less effective. Clear "
            "explanations from their team helped them feel more confident.</p>"
            "<h2>What this means for you</h2>"
            "<p>The right radiotherapy schedule depends on several things, including the type and stage of the cancer, "
            "which area needs treatment and whether you have had breast-conserving surgery or a mastectomy. A shorter "
            "course is not suitable for everyone.</p>"
            "<p>If you are about to start radiotherapy, it is worth asking:</p>"
            "<ul>"
            "<li>How many sessions will I need, and why?</li>"
            "<li>What side effects should I expect, and when are they likely to start?</li>"
            "<li>Who should I contact if my skin becomes very sore?</li></ul>"
            "<p>Your radiotherapy team will be happy to talk through your plan and any worries you have.</p>"
        ),
        "source": "Demo Journal of Radiotherapy and Patient Experience, 2023",
        "authors": ["idris-fenwick"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 90,
        "published_days_ago": 175,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Patient-reported experience of short-course versus conventional "
                    "whole-breast radiotherapy: a questionnaire study. Demo Journal of Radiotherapy and Patient "
                    "Experience, 2023."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "genetic-testing-offered-in-breast-clinic-study",
        "title": "Offering genetic testing in the breast clinic: what helps people and their families",
        "section": "research-news",
        "tags": ["genetics", "brca", "family history", "clinical trials"],
        "summary": (
            "A study found that when breast cancer teams offered genetic testing to eligible patients soon after "
            "diagnosis, with specialist back-up, more people were tested and got results sooner. Knowing about an "
            "inherited gene change such as BRCA1 or BRCA2 can guide treatment and help relatives understand their own "
            "risk."
        ),
        "body": (
            "<p>Most breast cancers are not caused by an inherited gene change. But a small proportion are linked to "
            "altered versions of genes passed down through families, the best known being <em>BRCA1</em> and "
            "<em>BRCA2</em>. Knowing whether someone carries one of these changes can affect decisions about their "
            "treatment, and can help their relatives understand their own risk.</p>"
            "<h2>What the researchers did</h2>"
            "<p>Traditionally, people with breast cancer who might carry an inherited gene change have been referred "
            "to a separate genetics clinic, sometimes with a long wait. In this study, researchers tried a different "
            "approach. Breast cancer teams were trained to discuss genetic testing with eligible patients themselves, "
            "soon after diagnosis, with a genetics specialist on hand for anyone who needed more support.</p>"
            "<p>The researchers compared how many people went on to have testing, how they felt about the process and "
            "whether they shared their results with family members.</p>"
            "<h2>What they found</h2>"
            "<p>More eligible people had genetic testing with the new approach, and they got their results sooner. "
            "Most said they felt well informed and did not find the conversation overwhelming, although some would "
            "have liked more time to think. People found to carry a gene change were supported to pass the information "
            "on to relatives, who could then seek advice themselves.</p>"
            "<h2>What this means for you</h2>"
            "<p>Genetic testing is not right for everyone. Whether you are offered it depends on things such as your "
            "personal and family history, your age at diagnosis and the type of breast cancer. A result can bring "
            "difficult feelings as well as useful information, so good support matters.</p>"
            "<ul>"
            "<li>If you have breast cancer and a strong family history of breast, ovarian, prostate or pancreatic "
            "cancer, ask your team whether genetic testing is suitable for you.</li>"
            "<li>If a relative has been found to carry a gene change, talk to your GP, who can refer you for "
            "advice.</li>"
            "<li>A result showing no gene change does not mean you have no risk, so keep checking your breasts and go "
            "for screening when invited.</li></ul>"
            "<p>Your breast care team or a genetic counsellor can help you decide what is right for you and your "
            "family.</p>"
        ),
        "source": "Demo Journal of Cancer Genetics in Practice, 2023",
        "authors": ["hattie-lindqvist-marsh"],
        "reviewer": "felix-ardenne",
        "reviewed_days_ago": 238,
        "published_days_ago": 240,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Oncology-led genetic testing for people newly diagnosed with breast "
                    "cancer: uptake, experience and family communication. Demo Journal of Cancer Genetics in Practice, "
                    "2023."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "computer-software-second-reader-mammograms",
        "title": "Can computer software help read screening mammograms? A look at early research",
        "section": "research-news",
        "tags": ["screening", "mammography", "clinical trials"],
        "summary": (
            "Researchers tested whether computer software could act as one of the two readers of screening mammograms, "
            "alongside a specialist. The early results were encouraging, but the software is being studied as a helper "
            "rather than a replacement for human experts, and real-world trials are needed."
        ),
        "body": (
            "<p>Breast screening uses mammograms – low-dose X-rays of the breast – to look for cancers too small to "
            "see or feel. Reading screening mammograms is skilled work. In many programmes each set of images is "
            "checked by two trained readers, which helps catch cancers that one person alone might miss.</p>"
            "<p>With demand for screening growing, researchers are exploring whether computer software trained on "
            "large collections of images could help.</p>"
            "<h2>What the researchers did</h2>"
            "<p>In a study looking back at past screening, researchers took a large set of mammograms where the "
            "outcome was already known. They compared the decisions made by two human readers with the decisions made "
            "when the software took the place of one of them.</p>"
            "<h2>What they found</h2>"
            "<p>When the software worked alongside one human expert, the pair found a similar number of cancers to two "
            "human readers, and in some scenarios the reading workload fell. Neither approach was perfect, though. "
            "Each picked up some cancers the other missed, and the software flagged some images as suspicious that "
            "turned out to be normal.</p>"
            "<p>Because the study looked back at old images, it could not show what would happen in a real screening "
            "service, where the software's decisions would affect who is called back for more tests.</p>"
            "<h2>What this means for you</h2>"
            "<p>This is an active area of research, and larger studies within real screening programmes are needed. "
            "For now, the most important things you can do are to go for screening when you are invited and to know "
            "how your breasts normally look and feel.</p>"
            "<p>Screening does not replace checking for symptoms. If you notice a new lump, a change in size or shape, "
            "skin or nipple changes, or discharge, see your GP – even if you have recently had a normal mammogram.</p>"
            "<p>If you have questions about your mammogram or your results, your screening unit will be happy to "
            "help.</p>"
        ),
        "source": "Demo Journal of Breast Imaging, 2023",
        "authors": ["ana-kowalski"],
        "reviewer": "felix-ardenne",
        "reviewed_days_ago": 150,
        "published_days_ago": 300,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Software as a second reader in breast screening: a retrospective "
                    "comparison with double human reading. Demo Journal of Breast Imaging, 2023."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "late-recurrence-hormone-receptor-positive-follow-up",
        "title": "Understanding late recurrence in hormone-receptor-positive breast cancer",
        "section": "research-news",
        "tags": ["recurrence", "hormone therapy", "life after treatment"],
        "summary": (
            "A long-term follow-up study confirmed that, with hormone-receptor-positive breast cancer, a small risk of "
            "the cancer coming back can continue many years after diagnosis. Researchers hope better tools will show "
            "who might benefit from longer hormone therapy. If you are worried, your team can talk through your own "
            "situation."
        ),
        "body": (
            "<p>Finishing treatment for early breast cancer is a big milestone. But for many people, the worry that "
            "the cancer might come back never quite goes away. New research is helping to build a clearer picture of "
            "recurrence, especially for hormone-receptor-positive breast cancer.</p>"
            "<h2>What the researchers did</h2>"
            "<p>Researchers used hospital records to follow a group of people treated for early "
            "hormone-receptor-positive breast cancer for many years after diagnosis. They looked at when any "
            "recurrences happened and at features of the original cancer, such as its size, its grade and whether "
            "lymph nodes were affected.</p>"
            "<h2>What they found</h2>"
            "<p>The study supported something doctors have recognised for some time: with hormone-receptor-positive "
            "breast cancer, a small risk of recurrence can continue well beyond the first five years. Most people in "
            "the study did not have a recurrence. Late recurrence was more likely when the original cancer had been "
            "larger or had spread to lymph nodes.</p>"
            "<p>The researchers say more work is needed to find reliable ways to predict who is at higher risk. That "
            "would mean treatments such as extended hormone therapy could be offered to the people most likely to "
            "benefit, while sparing others unnecessary side effects.</p>"
            "<h2>What this means for you</h2>"
            "<p>It is natural to feel unsettled reading about recurrence. It may help to remember that findings like "
            "these describe groups of people, not you as an individual. Your own risk depends on many things, and your "
            "team can explain what they mean for you.</p>"
            "<p>Some people are offered hormone therapy for longer than five years. This is a decision to make with "
            "your oncologist, weighing the possible benefit against side effects and your own preferences.</p>"
            "<p>Whatever your situation, it is worth knowing the possible signs of recurrence, and contacting your "
            "team if you notice something new that does not go away, such as:</p>"
            "<ul>"
            "<li>a new lump or change in the breast, chest or armpit</li>"
            "<li>bone pain that persists</li>"
            "<li>unexplained weight loss, breathlessness or a cough that lingers</li>"
            "<li>ongoing headaches or feeling sick</li></ul>"
            "<p>Most aches and pains are not caused by cancer, but you are never wasting anyone's time by asking.</p>"
        ),
        "source": "Demo Journal of Cancer Epidemiology, 2022",
        "authors": ["rowan-pellegrew"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 120,
        "published_days_ago": 365,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Timing of recurrence after early hormone-receptor-positive breast cancer: "
                    "a long-term hospital records study. Demo Journal of Cancer Epidemiology, 2022."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "nurse-support-helps-people-stay-on-hormone-therapy",
        "title": "Regular check-ins may help people keep taking hormone therapy",
        "section": "research-news",
        "tags": ["hormone therapy", "aromatase inhibitors", "side effects", "clinical trials"],
        "summary": (
            "A randomised study tested whether regular check-in messages, with an easy way to reach a specialist "
            "nurse, helped people stay on hormone therapy after breast cancer. More people in the support group kept "
            "taking their tablets, often because side effects were dealt with sooner. If hormone therapy is hard to "
            "live with, talk to your team rather than stopping."
        ),
        "body": (
            "<p>Hormone therapies such as tamoxifen and aromatase inhibitors are usually taken as a daily tablet for "
            "at least five years. They lower the chance of hormone-receptor-positive breast cancer coming back. But "
            "taking a tablet every day for years is not easy, especially when side effects such as hot flushes, joint "
            "pain or low mood get in the way. Some people stop earlier than planned, often without telling their "
            "team.</p>"
            "<h2>What the researchers did</h2>"
            "<p>In a randomised study, people starting hormone therapy after treatment for early breast cancer were "
            "put into one of two groups. One group had usual follow-up care. The other also received regular text "
            "messages asking how they were getting on, with a simple way to request a call back from a specialist "
            "nurse if they were struggling.</p>"
            "<h2>What they found</h2>"
            "<p>After a year, people in the support group were more likely to still be taking their hormone therapy. "
            "The nurses found that many people who were thinking of stopping had side effects that could be helped – "
            "for example by switching to a different hormone therapy, trying practical tips for joint pain, or getting "
            "support with sleep and low mood.</p>"
            "<p>Participants said they valued knowing that someone was keeping an eye on them after their main "
            "treatment had finished. The researchers now plan a larger study to find out whether better adherence "
            "leads to fewer recurrences over time.</p>"
            "<h2>What this means for you</h2>"
            "<p>If you are finding hormone therapy difficult, you are not alone, and you do not have to put up with it "
            "in silence. There are often things that can help:</p>"
            "<ul>"
            "<li>Keep a note of side effects and when they happen, to share at appointments.</li>"
            "<li>Ask whether a different hormone therapy might suit you better.</li>"
            "<li>Regular gentle exercise eases joint stiffness for some people.</li>"
            "<li>Tell your team if your mood is low – support is available.</li></ul>"
            "<p>Please talk to your breast care nurse, GP or oncologist before stopping or changing your treatment.</p>"
        ),
        "source": "Demo Journal of Supportive Cancer Care, 2022",
        "authors": ["idris-fenwick"],
        "reviewer": "gwen-tamworthy",
        "reviewed_days_ago": 200,
        "published_days_ago": 430,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Text-message check-ins with nurse call-back to support adjuvant endocrine "
                    "therapy: a randomised study. Demo Journal of Supportive Cancer Care, 2022."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "lab-study-her2-positive-resistance-second-pathway",
        "title": "Lab study explores why some HER2-positive cancers stop responding to treatment",
        "section": "research-news",
        "tags": ["targeted therapy", "metastatic breast cancer", "clinical trials"],
        "summary": (
            "Scientists studying breast cancer cells in the laboratory found a possible reason why some HER2-positive "
            "cancers become resistant to targeted drugs, and that blocking a second growth signal made the cells "
            "sensitive again. This is very early research in cells and mice, not people, and it will take years to "
            "know whether it leads to new treatments."
        ),
        "body": (
            "<p>HER2 is a protein on the surface of cells that helps control how they grow. In some breast cancers, "
            "the cells make far too much HER2, which drives the cancer to grow more quickly. These are called "
            "HER2-positive breast cancers.</p>"
            "<p>Targeted drugs that block HER2 have transformed treatment for HER2-positive breast cancer. But in some "
            "people, particularly those with secondary breast cancer, the cancer eventually finds a way around these "
            "drugs. A new laboratory study has explored how this might happen.</p>"
            "<h2>What the researchers did</h2>"
            "<p>Scientists grew HER2-positive breast cancer cells in the laboratory and exposed them to a "
            "HER2-targeted drug over a long period, until some of the cells stopped responding. They then compared "
            "these resistant cells with the original cells to see what had changed.</p>"
            "<h2>What they found</h2>"
            "<p>The resistant cells appeared to have switched on a second growth signalling pathway, giving them a "
            "back-up route to keep growing when HER2 was blocked. When the researchers treated the cells with the "
            "HER2-targeted drug together with an experimental compound that blocked this second pathway, the cells "
            "became sensitive to treatment again. Similar results were seen in a small number of tumour samples grown "
            "in mice.</p>"
            "<h2>What this means for you</h2>"
            "<p>This is early-stage laboratory research. Findings in cells and animals often do not translate into "
            "benefits for people, and the experimental compound has not been tested in clinical trials for breast "
            "cancer. It will take several years of further research to know whether this approach is safe and "
            "effective.</p>"
            "<p>Studies like this are still an essential first step. Understanding how resistance develops helps "
            "researchers design smarter combinations of treatments and decide which ideas are worth testing in "
            "trials.</p>"
            "<p>If you have HER2-positive breast cancer and would like to know more about your treatment options, or "
            "about clinical trials you might be able to join, talk to your oncologist.</p>"
        ),
        "source": "Demo Journal of Cancer Cell Biology, 2024",
        "authors": ["hattie-lindqvist-marsh"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 1,
        "published_days_ago": 2,
        "status": "draft",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. A compensatory signalling pathway in HER2-positive breast cancer cells "
                    "with acquired resistance to HER2 blockade. Demo Journal of Cancer Cell Biology, 2024."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "online-symptom-reporting-secondary-breast-cancer",
        "title": "Reporting symptoms online may help people living with secondary breast cancer",
        "section": "research-news",
        "tags": ["metastatic breast cancer", "side effects", "wellbeing", "clinical trials"],
        "summary": (
            "In a study of people having treatment for secondary (metastatic) breast cancer, those who reported their "
            "symptoms each week through a simple online system felt problems were dealt with sooner and reported a "
            "better quality of life. Whatever your hospital offers, telling your team early about new or worsening "
            "symptoms matters."
        ),
        "body": (
            "<p>Secondary breast cancer, also called metastatic or stage 4 breast cancer, is breast cancer that has "
            "spread to other parts of the body, such as the bones, liver, lungs or brain. It cannot usually be cured, "
            "but treatment can often control it, sometimes for many years, and help people live well.</p>"
            "<p>Living well with secondary breast cancer depends a great deal on managing symptoms and side effects "
            "promptly. A new study looked at whether a simple online reporting system could help.</p>"
            "<h2>What the researchers did</h2>"
            "<p>People having treatment for secondary breast cancer were randomly assigned either to usual care or to "
            "usual care plus a weekly online questionnaire about symptoms such as pain, tiredness, sickness, "
            "breathlessness and mood. If someone reported a severe or worsening symptom, an alert went to a nurse, who "
            "got in touch.</p>"
            "<h2>What they found</h2>"
            "<p>People using the online system reported a better quality of life over the following months than those "
            "having usual care. Many said they felt more listened to, and that problems were picked up before they "
            "became a crisis. Nurses were able to adjust pain relief, arrange tests or bring appointments forward.</p>"
            "<p>Some participants found the weekly questionnaire a chore, especially when they felt unwell. The "
            "researchers suggest systems like this should be flexible and should never replace the option of picking "
            "up the phone.</p>"
            "<h2>What this means for you</h2>"
            "<p>Your hospital may or may not offer online symptom reporting. Either way, the message is the same: you "
            "do not need to wait for your next appointment to mention something that is bothering you.</p>"
            "<ul>"
            "<li>Keep your team's contact numbers somewhere easy to find, including the out-of-hours number.</li>"
            "<li>Jot down symptoms, how bad they are and when they happen.</li>"
            "<li>Ask which symptoms you should report straight away, such as a high temperature, new weakness or "
            "numbness in your legs, or sudden breathlessness.</li></ul>"
            "<p>Your specialist nurse or palliative care team can help with symptom control at any stage – not only "
            "towards the end of life.</p>"
        ),
        "source": "Demo Journal of Supportive Cancer Care, 2021",
        "authors": ["ana-kowalski"],
        "reviewer": "gwen-tamworthy",
        "reviewed_days_ago": 180,
        "published_days_ago": 520,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Weekly electronic symptom reporting during treatment for metastatic "
                    "breast cancer: a randomised study. Demo Journal of Supportive Cancer Care, 2021."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "scalp-cooling-hair-loss-what-makes-a-difference",
        "title": "Scalp cooling during chemotherapy: study explores what makes a difference to hair loss",
        "section": "research-news",
        "tags": ["chemotherapy", "side effects", "wellbeing"],
        "summary": (
            "A study of people using scalp cooling during chemotherapy for breast cancer found that many kept enough "
            "hair not to need a wig or head covering, although results varied with the type of chemotherapy and how "
            "well the cap fitted. Scalp cooling is not suitable for everyone, so ask your team whether it is an option "
            "for you."
        ),
        "body": (
            "<p>Losing your hair can be one of the most upsetting parts of chemotherapy. For many people it is a "
            "visible sign of cancer that they would rather keep private. Scalp cooling, sometimes called the cold cap, "
            "is one way to reduce hair loss. A new study has looked at what affects how well it works.</p>"
            "<h2>What the researchers did</h2>"
            "<p>During scalp cooling, you wear a snug cap that is kept very cold before, during and after each "
            "chemotherapy treatment. Cooling the scalp reduces blood flow to the hair follicles, so less of the "
            "chemotherapy drug reaches them.</p>"
            "<p>Researchers followed people with breast cancer who chose to use scalp cooling at several hospitals. "
            "Participants rated their hair loss and answered questions about their wellbeing. The team also recorded "
            "details such as the type of chemotherapy, how the cap was fitted and people's hair care routines.</p>"
            "<h2>What they found</h2>"
            "<p>Many participants kept enough hair that they felt they did not need a wig or head covering. Results "
            "varied widely, however. Scalp cooling tended to work better with some chemotherapy drugs than with "
            "others, and a close, well-fitted cap seemed to matter. Some people found the cold uncomfortable or got "
            "headaches, and a few stopped for that reason.</p>"
            "<h2>What this means for you</h2>"
            "<p>Scalp cooling is not available everywhere and is not suitable for everyone. It also adds time to each "
            "treatment session. If you are interested, ask your chemotherapy team:</p>"
            "<ul>"
            "<li>whether scalp cooling is offered at your hospital</li>"
            "<li>how well it is likely to work with your particular treatment</li>"
            "<li>how to look after your hair during treatment, for example by washing it gently and avoiding heat "
            "styling</li></ul>"
            "<p>Whether or not you use scalp cooling, your breast care nurse can tell you about support with hair "
            "loss, including wigs, scarves and local services.</p>"
        ),
        "source": "Demo Journal of Oncology Nursing, 2024",
        "authors": ["idris-fenwick", "hattie-lindqvist-marsh"],
        "reviewer": "gwen-tamworthy",
        "reviewed_days_ago": 2,
        "published_days_ago": -3,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Factors associated with hair preservation during scalp cooling for breast "
                    "cancer chemotherapy: a multicentre observational study. Demo Journal of Oncology Nursing, 2024."
                ),
                "url": "",
            },
        ],
    },
    # -------------------- Treatment
    {
        "slug": "breast-cancer-surgery-understanding-your-options",
        "title": "Breast cancer surgery: understanding your options",
        "section": "treatment",
        "tags": ["surgery", "radiotherapy", "lymphoedema"],
        "summary": (
            "Most people with early breast cancer have surgery, either to remove the cancer with some surrounding "
            "tissue (breast-conserving surgery) or to remove the whole breast (mastectomy). This guide explains the "
            "options, what happens to the lymph nodes and questions to ask, so you can make a decision that feels "
            "right for you."
        ),
        "body": (
            "<p>Surgery is usually the first or main treatment for early breast cancer. If you have been told you need "
            "an operation, you may be offered a choice. Understanding the options can help you feel more in "
            "control.</p>"
            "<h2>Breast-conserving surgery or mastectomy</h2>"
            "<p><strong>Breast-conserving surgery</strong>, also called wide local excision or lumpectomy, removes the "
            "cancer along with a border (margin) of healthy tissue. Most of the breast is kept. It is usually followed "
            "by radiotherapy to lower the chance of the cancer coming back in the breast. If the tissue removed shows "
            "cancer cells too close to the edge, a second operation may be advised.</p>"
            "<p><strong>A mastectomy</strong> removes all the breast tissue, usually including the nipple. It may be "
            "recommended if the cancer is large compared with the size of the breast, if there is cancer in more than "
            "one area, or if radiotherapy is not suitable. Some people choose a mastectomy even when breast-conserving "
            "surgery is possible.</p>"
            "<p>For many people with early breast cancer, breast-conserving surgery followed by radiotherapy works as "
            "well as a mastectomy. The best choice depends on the cancer and on what matters to you.</p>"
            "<p>If you have a mastectomy, you may be able to have breast reconstruction, either at the same time or "
            "later. Others choose to wear a prosthesis, or to stay flat. There is no right or wrong choice.</p>"
            "<h2>Surgery to the lymph nodes</h2>"
            "<p>Your surgeon will also check whether cancer has spread to the lymph nodes in the armpit. Often this is "
            "done with a sentinel lymph node biopsy, which removes only the first one or few nodes that the breast "
            "drains to. If cancer is found there, you may need further treatment to the armpit, such as more surgery "
            "or radiotherapy.</p>"
            "<p>Removing lymph nodes can raise the risk of lymphoedema, a long-lasting swelling of the arm, hand or "
            "chest. The fewer nodes removed, the lower the risk.</p>"
            "<h2>Questions to ask your surgeon</h2>"
            "<ul>"
            "<li>Which operations are suitable for me, and why?</li>"
            "<li>Will I need radiotherapy or other treatment afterwards?</li>"
            "<li>Can I have reconstruction, and when?</li>"
            "<li>What will the scar look like, and how long will recovery take?</li>"
            "<li>Which arm and shoulder exercises should I do afterwards?</li></ul>"
            "<p>Take your time if you can, bring someone with you to appointments, and ask your breast care nurse to "
            "go over anything that is unclear.</p>"
        ),
        "source": "",
        "authors": ["rowan-pellegrew"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 140,
        "published_days_ago": 610,
        "status": "published",
        "featured": False,
        "references": [
            NICE_NG101,
        ],
    },
    {
        "slug": "chemotherapy-managing-common-side-effects",
        "title": "Chemotherapy for breast cancer: managing common side effects",
        "section": "treatment",
        "tags": ["chemotherapy", "side effects"],
        "summary": (
            "Chemotherapy can cause side effects such as tiredness, sickness, hair loss and a higher risk of "
            "infection, but many can be prevented or eased. This guide covers the most common ones, practical tips for "
            "coping and the warning signs that mean you should contact your hospital straight away."
        ),
        "body": (
            "<p>Chemotherapy uses drugs to destroy cancer cells. Because the drugs also affect some healthy cells, "
            "particularly those that divide quickly, they can cause side effects. Everyone is different: the side "
            "effects you have will depend on the drugs you are given and how your body responds. Most are temporary "
            "and improve after treatment ends.</p>"
            "<h2>When to call your hospital straight away</h2>"
            "<p>Chemotherapy can lower the number of white blood cells that fight infection, usually most in the week "
            "or two after each treatment. An infection at this time can become serious very quickly.</p>"
            "<p><strong>Call your hospital's 24-hour helpline straight away</strong> if you have a high temperature, "
            "or if you suddenly feel unwell, shivery or confused, even if your temperature is normal. Your team will "
            "tell you which temperature to look out for. Do not wait until the morning.</p>"
            "<p>Also call if you have severe diarrhoea or vomiting, bleeding or bruising you cannot explain, or pain, "
            "redness or swelling around a line or port.</p>"
            "<h2>Common side effects and what can help</h2>"
            "<h3>Tiredness</h3>"
            "<p>Fatigue is very common and can build up over the course of treatment. Pace yourself, accept offers of "
            "help, and try to include some gentle activity, such as a short walk, which can help with energy.</p>"
            "<h3>Feeling sick</h3>"
            "<p>Anti-sickness medicines work well for most people. Take them exactly as prescribed, even if you feel "
            "fine, and tell your team if they are not working, as there are other options. Small, frequent meals and "
            "sipping fluids can help.</p>"
            "<h3>Hair loss</h3>"
            "<p>Many chemotherapy drugs used for breast cancer cause hair loss, usually starting a few weeks into "
            "treatment. Hair almost always grows back afterwards. Scalp cooling may reduce hair loss for some people, "
            "so ask whether it is available.</p>"
            "<h3>Sore mouth and taste changes</h3>"
            "<p>Brush gently with a soft toothbrush, use any mouthwash your team recommends, and mention painful "
            "ulcers. Food may taste different for a while, so experiment with flavours.</p>"
            "<h3>Tingling or numbness</h3>"
            "<p>Some drugs affect the nerves in the hands and feet, causing tingling, numbness or pain. Tell your team "
            "early, as they may adjust your treatment.</p>"
            "<h2>Other changes to ask about</h2>"
            "<p>Chemotherapy can affect periods and fertility, and may bring on an early menopause. If you might want "
            "children in the future, talk to your team before treatment starts. Some people also notice problems with "
            "memory and concentration, sometimes called “chemo brain”, which usually improve with time.</p>"
            "<p>Keep a simple diary of how you feel after each treatment and bring it to appointments. Your "
            "chemotherapy team and breast care nurse are there to help, so never feel you are making a fuss.</p>"
        ),
        "source": "",
        "authors": ["hattie-lindqvist-marsh"],
        "reviewer": "gwen-tamworthy",
        "reviewed_days_ago": 45,
        "published_days_ago": 150,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Newsroom editorial team. Chemotherapy side effects: patient information checked against national "
                    "clinical guidance and reviewed by a breast care nurse specialist, 2024."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "radiotherapy-for-breast-cancer-what-to-expect",
        "title": "Radiotherapy for breast cancer: what to expect",
        "section": "treatment",
        "tags": ["radiotherapy", "side effects"],
        "summary": (
            "Radiotherapy uses high-energy X-rays to destroy any cancer cells that may remain after surgery. This "
            "guide explains planning, what happens during a session, common side effects such as skin changes and "
            "tiredness, and how to look after yourself during and after treatment."
        ),
        "body": (
            "<p>Radiotherapy uses carefully targeted high-energy X-rays to destroy cancer cells. After breast cancer "
            "surgery it is often given to the breast or chest wall, and sometimes to nearby lymph nodes, to lower the "
            "chance of the cancer coming back. Knowing what to expect can make it feel less daunting.</p>"
            "<h2>Planning your treatment</h2>"
            "<p>Before treatment starts you will have a planning appointment, usually including a CT scan. This helps "
            "your team work out exactly where the radiation needs to go while protecting nearby organs such as the "
            "heart and lungs. A few tiny permanent dots, about the size of a freckle, may be tattooed on your skin to "
            "help line you up accurately each time, although some centres use other methods.</p>"
            "<p>If the left side is being treated, you may be taught a breath-hold technique. Taking a deep breath and "
            "holding it can move the heart further away from the area being treated.</p>"
            "<h2>During treatment</h2>"
            "<p>The treatment itself takes only a few minutes each time, although you may be in the room for longer "
            "while the radiographers position you carefully. You will lie on a couch with your arm raised above your "
            "head. The radiographers leave the room while the machine is on, but they can see and hear you "
            "throughout.</p>"
            "<p>Radiotherapy does not hurt, and this type of treatment does not make you radioactive, so it is safe to "
            "be around other people, including children and pregnant women.</p>"
            "<h2>Side effects and looking after yourself</h2>"
            "<p>Side effects usually build up gradually and can continue for a week or two after treatment ends before "
            "they start to settle.</p>"
            "<ul>"
            "<li><strong>Skin changes:</strong> the treated skin may become pink or darker, dry, itchy or sore. Wash "
            "gently with lukewarm water, pat dry and use the moisturiser your team recommends.</li>"
            "<li><strong>Tiredness:</strong> this is common, especially towards the end of treatment. Balance rest "
            "with gentle activity.</li>"
            "<li><strong>Breast changes:</strong> the breast may feel swollen, tender or firmer for some time "
            "afterwards.</li></ul>"
            "<p>Wear loose, soft clothing, avoid perfumed products on the treated area, and protect the skin from the "
            "sun, both during treatment and in the long term.</p>"
            "<p>Less often, effects can appear months or years later, such as changes in the shape or feel of the "
            "breast, or irritation of the lung causing a cough or breathlessness. Tell your team about any new or "
            "lasting symptoms so they can advise and support you.</p>"
        ),
        "source": "",
        "authors": ["idris-fenwick"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 200,
        "published_days_ago": 700,
        "status": "published",
        "featured": False,
        "references": [
            NICE_NG101,
        ],
    },
    {
        "slug": "living-with-hormone-therapy-side-effects-and-staying-on-track",
        "title": "Living with hormone therapy: managing side effects and staying on track",
        "section": "treatment",
        "tags": ["hormone therapy", "aromatase inhibitors", "side effects"],
        "summary": (
            "Hormone therapy lowers the risk of hormone-receptor-positive breast cancer coming back, but it is often "
            "taken for five years or more and can cause side effects such as hot flushes and joint pain. This guide "
            "explains how the main types work and offers practical ways to cope, so you can get the most from your "
            "treatment."
        ),
        "body": (
            "<p>If your breast cancer is hormone-receptor-positive, its growth is fuelled by the hormone oestrogen. "
            "Hormone therapy (sometimes called endocrine therapy) works by blocking oestrogen's effect or lowering the "
            "amount in your body. It is usually taken as a daily tablet for at least five years, and sometimes "
            "longer.</p>"
            "<h2>The main types of hormone therapy</h2>"
            "<ul>"
            "<li><strong>Tamoxifen</strong> stops oestrogen attaching to cancer cells. It can be used before or after "
            "the menopause.</li>"
            "<li><strong>Aromatase inhibitors</strong>, such as anastrozole, letrozole and exemestane, reduce the "
            "amount of oestrogen the body makes after the menopause.</li>"
            "<li><strong>Ovarian suppression</strong> uses injections or, less often, surgery to stop the ovaries "
            "making oestrogen. It is sometimes used for women who have not been through the menopause, usually "
            "alongside another hormone therapy.</li></ul>"
            "<h2>Common side effects and what can help</h2>"
            "<p>Not everyone gets side effects, and they often ease after the first few months. Common ones "
            "include:</p>"
            "<ul>"
            "<li><strong>Hot flushes and night sweats:</strong> wear layers, keep your bedroom cool and cut back on "
            "triggers such as alcohol, caffeine and spicy food. Some medicines can help, so ask your doctor.</li>"
            "<li><strong>Joint and muscle aches</strong>, especially with aromatase inhibitors: regular gentle "
            "exercise and keeping to a healthy weight help some people.</li>"
            "<li><strong>Vaginal dryness</strong> and changes in sex drive: non-hormonal moisturisers and lubricants "
            "are available, and your team can talk about other options.</li>"
            "<li><strong>Bone thinning</strong> with aromatase inhibitors: you may have bone density scans and be "
            "advised about calcium, vitamin D and weight-bearing exercise.</li></ul>"
            "<p>Tamoxifen slightly increases the risk of blood clots and, rarely, changes to the lining of the womb. "
            "Tell your doctor promptly about pain or swelling in one leg, sudden breathlessness or unexpected vaginal "
            "bleeding.</p>"
            "<h2>Staying on track</h2>"
            "<p>Taking a tablet every day for years can be hard, especially when you feel well. Linking it to a daily "
            "habit such as brushing your teeth, using a pill organiser or setting a phone reminder can help.</p>"
            "<p>If side effects are getting you down, please do not just stop. There are often alternatives, including "
            "switching to a different hormone therapy. Speak to your breast care nurse, GP or oncologist – they want "
            "to help you find a way of continuing that works for you.</p>"
        ),
        "source": "",
        "authors": ["ana-kowalski"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 88,
        "published_days_ago": 90,
        "status": "published",
        "featured": False,
        "references": [
            NICE_NG101,
            {
                "citation": (
                    "Example Research Group. Text-message check-ins with nurse call-back to support adjuvant endocrine "
                    "therapy: a randomised study. Demo Journal of Supportive Cancer Care, 2022."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "treatment-for-secondary-breast-cancer-an-introduction",
        "title": "Treatment for secondary breast cancer: an introduction",
        "section": "treatment",
        "tags": ["metastatic breast cancer", "recurrence", "hormone therapy", "targeted therapy", "chemotherapy"],
        "summary": (
            "Secondary (metastatic) breast cancer cannot usually be cured, but treatment can often control it for a "
            "long time and help people live well. This guide explains the main types of treatment, how decisions are "
            "made and the support available alongside treatment."
        ),
        "body": (
            "<p>Secondary breast cancer happens when cancer cells from the breast spread to other parts of the body, "
            "most often the bones, liver, lungs or brain. It may be found at the time of the first diagnosis, or years "
            "after treatment for early breast cancer. It is also called metastatic, advanced or stage 4 breast "
            "cancer.</p>"
            "<p>Hearing that breast cancer has spread is extremely hard. While secondary breast cancer cannot usually "
            "be cured, it can often be treated and controlled, sometimes for many years. The aims of treatment are to "
            "slow the cancer's growth, relieve symptoms and help you live as well as possible.</p>"
            "<h2>How treatment is chosen</h2>"
            "<p>Your team will consider where the cancer has spread, whether it is hormone-receptor-positive or "
            "HER2-positive, the treatments you have had before, your general health and, importantly, what matters "
            "most to you. A biopsy of the secondary cancer is sometimes recommended, because its receptor status can "
            "differ from the original cancer.</p>"
            "<h2>The main types of treatment</h2>"
            "<ul>"
            "<li><strong>Hormone therapy</strong> is often the first choice for hormone-receptor-positive secondary "
            "breast cancer, frequently combined with a targeted drug.</li>"
            "<li><strong>Targeted therapies</strong> act on specific features of cancer cells, such as the HER2 "
            "protein.</li>"
            "<li><strong>Chemotherapy</strong> may be used when other options are not suitable or have stopped "
            "working, or when the cancer needs to be brought under control quickly.</li>"
            "<li><strong>Immunotherapy</strong> may be an option for some people with triple-negative breast "
            "cancer.</li>"
            "<li><strong>Radiotherapy and surgery</strong> can help with particular problems, such as pain from cancer "
            "in a bone.</li>"
            "<li><strong>Bone-strengthening drugs</strong> can lower the risk of fractures and other problems when "
            "cancer has spread to the bones.</li></ul>"
            "<p>Many people have a series of treatments over time, moving on to a new one if the cancer starts to grow "
            "again. Regular scans help show how well treatment is working.</p>"
            "<h2>Support alongside treatment</h2>"
            "<p>Palliative and supportive care teams specialise in easing symptoms such as pain, breathlessness and "
            "fatigue. They can be involved at any stage, not only near the end of life, and many people find them a "
            "great help. If your hospital has a specialist nurse for secondary breast cancer, they can be a key point "
            "of contact.</p>"
            "<p>You may also want to ask about clinical trials, which can offer access to new treatments.</p>"
            "<p>Everyone's situation is different. Bring your questions to your oncologist and nurse, and take someone "
            "with you to appointments if it helps.</p>"
        ),
        "source": "",
        "authors": ["rowan-pellegrew", "ana-kowalski"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 47,
        "published_days_ago": 45,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "National Institute for Health and Care Excellence (NICE). Advanced breast cancer: diagnosis and "
                    "treatment (clinical guideline CG81), 2009, with later updates."
                ),
                "url": "https://www.nice.org.uk/guidance/cg81",
            },
        ],
    },
    # -------------------- Diagnosis
    {
        "slug": "what-happens-at-a-breast-biopsy",
        "title": "What happens at a breast biopsy?",
        "section": "diagnosis",
        "tags": ["diagnosis", "screening"],
        "summary": (
            "A biopsy takes a small sample of tissue so it can be checked under a microscope. It is the only way to "
            "know for sure whether a breast change is cancer. This guide explains the different types of biopsy, what "
            "to expect on the day and how you might feel afterwards."
        ),
        "body": (
            "<p>If you have noticed a breast change, or been called back after a screening mammogram, you may be "
            "offered a biopsy. Being asked to have one can be worrying, but it does not mean you have cancer. Many "
            "biopsies show a benign (non-cancerous) condition.</p>"
            "<h2>Why a biopsy is needed</h2>"
            "<p>Examinations, mammograms and ultrasound scans can show that an area looks unusual, but they cannot say "
            "for certain what it is. A biopsy removes a small sample of tissue so that a specialist called a "
            "pathologist can examine it under a microscope. If cancer is found, the sample also gives important "
            "information about the type of cancer, which helps plan treatment.</p>"
            "<h2>Types of biopsy</h2>"
            "<ul>"
            "<li><strong>Core needle biopsy</strong> is the most common. After a local anaesthetic, a hollow needle "
            "takes a few small samples of tissue. Ultrasound or mammogram images are usually used to guide the needle "
            "to the right place.</li>"
            "<li><strong>Vacuum-assisted biopsy</strong> uses a needle attached to a gentle suction device to collect "
            "slightly larger samples.</li>"
            "<li><strong>Fine needle aspiration</strong> uses a thin needle to draw out cells or fluid, for example "
            "from a cyst.</li>"
            "<li><strong>Surgical biopsy</strong>, where part or all of an area is removed in a small operation, is "
            "needed less often.</li></ul>"
            "<p>A tiny metal marker clip may be left at the biopsy site so the area can be found again. It is safe to "
            "leave in place and you will not feel it.</p>"
            "<h2>On the day and afterwards</h2>"
            "<p>A needle biopsy usually takes less than an hour and you can go home afterwards. The local anaesthetic "
            "may sting briefly, and you may feel some pressure. Afterwards the area may be bruised and tender for a "
            "few days. Simple pain relief can help, and a supportive bra may feel more comfortable.</p>"
            "<p>Contact the clinic if you notice increasing swelling, bleeding that does not stop with gentle "
            "pressure, or signs of infection such as redness, heat or a high temperature.</p>"
            "<p>Waiting for results, which often takes a week or so, can be the hardest part. Ask when and how you "
            "will get them, and think about bringing someone with you to the results appointment. Your breast care "
            "nurse is there to answer questions at every step.</p>"
        ),
        "source": "",
        "authors": ["hattie-lindqvist-marsh"],
        "reviewer": "gwen-tamworthy",
        "reviewed_days_ago": 250,
        "published_days_ago": 800,
        "status": "published",
        "featured": False,
        "references": [
            NICE_NG101,
        ],
    },
    {
        "slug": "hormone-receptors-and-her2-your-pathology-report",
        "title": "Hormone receptors and HER2: what your pathology report means",
        "section": "diagnosis",
        "tags": ["diagnosis", "hormone therapy", "targeted therapy", "immunotherapy"],
        "summary": (
            "Tests on your breast cancer show whether it has receptors for the hormones oestrogen and progesterone, "
            "and whether it makes too much of a protein called HER2. These results help decide which treatments are "
            "likely to work. This guide explains the main terms in plain language."
        ),
        "body": (
            "<p>After a biopsy or surgery, the tissue removed is examined in the laboratory. As well as confirming "
            "whether cancer is present, the tests look for certain proteins, called receptors, on or in the cancer "
            "cells. Your receptor status is one of the most important pieces of information for planning treatment.</p>"
            "<h2>Hormone receptors (ER and PR)</h2>"
            "<p>Some breast cancer cells have receptors for the hormones oestrogen (ER) and progesterone (PR). When "
            "these hormones attach to the receptors, they can encourage the cancer to grow.</p>"
            "<p>If your cancer has enough of these receptors, it is called hormone-receptor-positive, or ER-positive. "
            "This is the most common type of breast cancer, and it means hormone therapy, such as tamoxifen or an "
            "aromatase inhibitor, is likely to help. Results may be given as a score or a percentage, and your team "
            "will explain what yours means.</p>"
            "<h2>HER2</h2>"
            "<p>HER2 is a protein that helps cells grow. Some breast cancers make too much of it and are called "
            "HER2-positive. These cancers can grow more quickly, but there are effective targeted treatments that "
            "block HER2.</p>"
            "<p>HER2 is often tested first with a method that gives a score from 0 to 3+. A score of 3+ is positive, "
            "and 0 or 1+ is negative. A score of 2+ is borderline, so a further test is done to give a clear answer. "
            "You may also hear the term “HER2-low”, used for some cancers with small amounts of HER2, as this can "
            "affect treatment choices for secondary breast cancer.</p>"
            "<h2>Triple-negative breast cancer</h2>"
            "<p>If a cancer has no hormone receptors and is not HER2-positive, it is called triple-negative. Hormone "
            "therapy and HER2-targeted drugs do not work against these cancers, so chemotherapy is often the main drug "
            "treatment, sometimes together with immunotherapy.</p>"
            "<h2>Questions to ask</h2>"
            "<ul>"
            "<li>What is the receptor status of my cancer?</li>"
            "<li>What does it mean for my treatment options?</li>"
            "<li>Can I have a copy of my pathology report?</li></ul>"
            "<p>Pathology reports are full of technical terms. Your breast care nurse or doctor can go through yours "
            "with you, line by line if you wish.</p>"
        ),
        "source": "",
        "authors": ["ana-kowalski"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 95,
        "published_days_ago": 330,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": "National Cancer Institute. Breast cancer: information for patients and families.",
                "url": "https://www.cancer.gov/types/breast",
            },
        ],
    },
    {
        "slug": "breast-cancer-stages-and-grades-explained",
        "title": "Breast cancer stages and grades explained",
        "section": "diagnosis",
        "tags": ["diagnosis", "metastatic breast cancer"],
        "summary": (
            "The stage of a breast cancer describes its size and whether it has spread, while the grade describes how "
            "the cancer cells look under a microscope. Together with other test results, they help your team plan "
            "treatment. This guide explains the terms you may hear."
        ),
        "body": (
            "<p>When breast cancer is diagnosed, your team gathers information to describe the cancer as accurately as "
            "possible. Two terms you are likely to hear are stage and grade. They sound similar but mean different "
            "things.</p>"
            "<h2>Stage: size and spread</h2>"
            "<p>The stage describes how big the cancer is and whether it has spread. Doctors often use the TNM "
            "system:</p>"
            "<ul>"
            "<li><strong>T (tumour)</strong> describes the size of the cancer and whether it has grown into nearby "
            "tissue such as the skin or chest wall.</li>"
            "<li><strong>N (nodes)</strong> describes whether cancer cells are found in nearby lymph nodes, and how "
            "many.</li>"
            "<li><strong>M (metastasis)</strong> describes whether the cancer has spread to other parts of the "
            "body.</li></ul>"
            "<p>These are combined into number stages:</p>"
            "<ul>"
            "<li><strong>Stage 0</strong> usually refers to ductal carcinoma in situ (DCIS), where abnormal cells are "
            "contained inside the milk ducts.</li>"
            "<li><strong>Stages 1 and 2</strong> are early breast cancer.</li>"
            "<li><strong>Stage 3</strong> is locally advanced breast cancer, which may be larger or involve more lymph "
            "nodes or nearby tissue.</li>"
            "<li><strong>Stage 4</strong> is secondary, or metastatic, breast cancer, which has spread to other parts "
            "of the body.</li></ul>"
            "<h2>Grade: how the cells look</h2>"
            "<p>The grade describes how different the cancer cells look from normal cells under a microscope, which "
            "gives an idea of how quickly the cancer might grow.</p>"
            "<ul>"
            "<li><strong>Grade 1</strong> cells look most like normal cells and tend to grow slowly.</li>"
            "<li><strong>Grade 2</strong> cells look less like normal cells.</li>"
            "<li><strong>Grade 3</strong> cells look very different and tend to grow more quickly.</li></ul>"
            "<h2>Putting it together</h2>"
            "<p>Stage and grade are only part of the picture. Your team will also consider the type of breast cancer, "
            "its receptor status, your general health and your preferences. Some details may only be confirmed after "
            "surgery, so your stage can be updated.</p>"
            "<p>It can be tempting to look up statistics online, but these describe large groups of people, often "
            "treated years ago, and cannot tell you what will happen to you. Your specialist team is best placed to "
            "explain what your results mean for you.</p>"
        ),
        "source": "",
        "authors": ["rowan-pellegrew"],
        "reviewer": "miriam-oyelaran-holt",
        "reviewed_days_ago": 300,
        "published_days_ago": 880,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": "National Cancer Institute. Breast cancer: information for patients and families.",
                "url": "https://www.cancer.gov/types/breast",
            },
        ],
    },
    {
        "slug": "dense-breasts-what-it-means-and-why-it-matters",
        "title": "Dense breasts: what it means and why it matters",
        "section": "diagnosis",
        "tags": ["screening", "mammography", "risk factors", "diagnosis"],
        "summary": (
            "Dense breasts have more glandular and fibrous tissue and less fat. They are common and normal, but they "
            "can make mammograms harder to read and are linked with a somewhat higher risk of breast cancer. Here is "
            "what breast density means and what you can do."
        ),
        "body": (
            "<p>Breasts are made up of fatty tissue, glandular tissue (which can make milk) and fibrous connective "
            "tissue. Breast density describes how much glandular and fibrous tissue there is compared with fat, as "
            "seen on a mammogram. It is not about breast size or how your breasts feel to touch.</p>"
            "<p>Dense breasts are common, especially in younger women, and density tends to fall with age, "
            "particularly after the menopause. Having dense breasts is normal. It is not a disease.</p>"
            "<h2>Why density matters</h2>"
            "<p>Density matters for two reasons. First, it can make mammograms harder to read. On a mammogram, dense "
            "tissue shows up white, and so can cancers, so a small cancer can be harder to pick out in a dense breast "
            "– rather like trying to spot a pale cloud against a pale sky.</p>"
            "<p>Second, women with very dense breasts have a somewhat higher chance of developing breast cancer than "
            "women whose breasts are mostly fatty. Researchers are still working out exactly why.</p>"
            "<h2>Will I be told about my breast density?</h2>"
            "<p>Practice varies between countries and screening programmes. In some places women are routinely told "
            "about their density; in others they are not. Researchers are studying whether extra scans, such as "
            "ultrasound or MRI, help women with dense breasts, and who benefits most.</p>"
            "<h2>What you can do</h2>"
            "<ul>"
            "<li><strong>Keep going to screening.</strong> Mammograms still find many cancers in dense breasts.</li>"
            "<li><strong>Know what is normal for you.</strong> Look at and feel your breasts regularly, and see your "
            "GP about any new change, even if you have had a normal mammogram recently.</li>"
            "<li><strong>Ask questions.</strong> If you know you have dense breasts, or you have other risk factors "
            "such as a strong family history, ask your GP or screening service whether any extra checks are "
            "recommended for you.</li></ul>"
            "<p>Breast density is largely shaped by things you cannot control, such as your genes and your age, so "
            "there is no reason to feel you have done anything wrong.</p>"
        ),
        "source": "",
        "authors": ["idris-fenwick"],
        "reviewer": "felix-ardenne",
        "reviewed_days_ago": 100,
        "published_days_ago": 205,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Breast density, screening sensitivity and breast cancer risk: a narrative "
                    "review for patients and clinicians. Demo Journal of Breast Imaging, 2022."
                ),
                "url": "",
            },
        ],
    },
    # -------------------- Living Well
    {
        "slug": "coping-with-cancer-related-fatigue",
        "title": "Coping with cancer-related fatigue",
        "section": "living-well",
        "tags": ["side effects", "exercise", "wellbeing", "life after treatment"],
        "summary": (
            "Cancer-related fatigue is a common and often exhausting tiredness that rest alone does not always fix, "
            "and it can last for months after treatment. This guide explains possible causes and offers practical ways "
            "to manage your energy from day to day."
        ),
        "body": (
            "<p>Fatigue is one of the most common effects of breast cancer and its treatment. People often describe "
            "feeling drained or heavy, with little energy for things they used to do easily. It can affect "
            "concentration, mood and relationships, and it can carry on for months, or occasionally longer, after "
            "treatment ends.</p>"
            "<p>Because fatigue cannot be seen, other people may not realise how much it affects you. It is real, and "
            "it is not a sign of weakness.</p>"
            "<h2>What causes it?</h2>"
            "<p>Several causes often work together, including the cancer itself, treatments such as chemotherapy, "
            "radiotherapy and hormone therapy, disturbed sleep, pain, low mood, anxiety and not eating well. Some "
            "causes, such as anaemia (a low red blood cell count), an underactive thyroid or the side effects of "
            "certain medicines, can be treated, so it is worth mentioning fatigue to your team.</p>"
            "<h2>Ways to manage your energy</h2>"
            "<ul>"
            "<li><strong>Plan and pace.</strong> Notice when your energy is highest and use that time for the things "
            "that matter most. Break tasks into smaller steps.</li>"
            "<li><strong>Keep moving gently.</strong> It may sound surprising, but regular light activity such as "
            "walking is one of the best ways to reduce fatigue over time. Build up slowly.</li>"
            "<li><strong>Rest, but not too much.</strong> Short rests can help, but long daytime naps may make it "
            "harder to sleep at night.</li>"
            "<li><strong>Look after your sleep.</strong> Keep regular bedtimes, limit caffeine later in the day and "
            "make your bedroom calm and dark.</li>"
            "<li><strong>Eat and drink regularly.</strong> Small, frequent meals and plenty of fluids can help keep "
            "your energy steadier.</li>"
            "<li><strong>Let others help.</strong> Say yes to offers of practical help with shopping, cooking or "
            "lifts.</li></ul>"
            "<h2>When to get advice</h2>"
            "<p>Talk to your care team or GP if fatigue is getting worse, stops you doing everyday things, or comes "
            "with other symptoms such as breathlessness, dizziness or low mood. Some hospitals run fatigue management "
            "courses, and occupational therapists can suggest practical ways to save energy at home and at work.</p>"
            "<p>Be kind to yourself. Recovery takes time, and energy often returns gradually rather than all at "
            "once.</p>"
        ),
        "source": "",
        "authors": ["idris-fenwick"],
        "reviewer": "gwen-tamworthy",
        "reviewed_days_ago": 130,
        "published_days_ago": 270,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. Supervised gentle exercise during chemotherapy for early breast cancer "
                    "and fatigue: a randomised pilot study. Demo Journal of Oncology Nursing, 2023."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "eating-well-during-and-after-breast-cancer-treatment",
        "title": "Eating well during and after breast cancer treatment",
        "section": "living-well",
        "tags": ["nutrition", "wellbeing", "side effects", "life after treatment"],
        "summary": (
            "There is no special diet that cures breast cancer, but eating well can help you cope with treatment, "
            "recover and feel your best. This guide offers realistic tips for common eating problems during treatment "
            "and healthy habits for the longer term."
        ),
        "body": (
            "<p>After a breast cancer diagnosis, many people want to know what they should eat. You may come across a "
            "lot of advice online and from friends, some of it conflicting. The good news is that you do not need an "
            "extreme or expensive diet. A balanced, varied diet is the best foundation for most people.</p>"
            "<h2>During treatment</h2>"
            "<p>Treatment can affect your appetite, taste and digestion. During this time the priority is to eat "
            "enough to keep your strength up, even if that means your diet is less balanced than usual for a while.</p>"
            "<ul>"
            "<li><strong>Poor appetite:</strong> try small meals and snacks every two to three hours rather than three "
            "large meals.</li>"
            "<li><strong>Feeling sick:</strong> cold foods, plain snacks and ginger may be easier to manage. Take "
            "anti-sickness medicine as prescribed.</li>"
            "<li><strong>Taste changes:</strong> experiment with herbs, spices, lemon or marinades. Plastic cutlery "
            "can help if food tastes metallic.</li>"
            "<li><strong>Sore mouth:</strong> choose soft, moist foods and avoid very spicy, salty or acidic "
            "ones.</li></ul>"
            "<p>If you are losing weight without trying, ask to see a dietitian.</p>"
            "<h2>After treatment</h2>"
            "<p>Once treatment ends, the focus can shift to longer-term health. A healthy diet can help you manage "
            "your weight, look after your heart and bones, and feel more energetic.</p>"
            "<ul>"
            "<li>Fill up on vegetables, fruit, wholegrains, beans and lentils, which all provide fibre.</li>"
            "<li>Choose fish, poultry, eggs and pulses more often than red and processed meat.</li>"
            "<li>Keep sugary drinks, sweets and highly processed snacks as occasional treats.</li>"
            "<li>Keep alcohol low, as it is linked with breast cancer risk.</li>"
            "<li>Make sure you get enough calcium and vitamin D, especially if you take an aromatase "
            "inhibitor.</li></ul>"
            "<h2>A word about supplements</h2>"
            "<p>Most people can get what they need from food. High-dose supplements and herbal remedies are not always "
            "safe, and some may interfere with cancer treatments. Always check with your team or pharmacist before "
            "taking anything new.</p>"
            "<p>A dietitian can give advice tailored to you, particularly if you have other health conditions or "
            "specific concerns.</p>"
        ),
        "source": "",
        "authors": ["hattie-lindqvist-marsh"],
        "reviewer": "gwen-tamworthy",
        "reviewed_days_ago": 3,
        "published_days_ago": 4,
        "status": "review",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Newsroom editorial team. Eating well with breast cancer: practical guidance drawn from national "
                    "healthy eating advice and reviewed by a breast care nurse specialist, 2024."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "going-back-to-work-after-breast-cancer",
        "title": "Going back to work after breast cancer",
        "section": "living-well",
        "tags": ["wellbeing", "life after treatment"],
        "summary": (
            "Returning to work after breast cancer treatment can feel like an important step back to everyday life, "
            "but it can also bring challenges such as fatigue and worries about coping. Planning ahead, talking to "
            "your employer and building your hours up gradually can help."
        ),
        "body": (
            "<p>For many people, going back to work after breast cancer is about more than income. It can bring "
            "routine, a sense of purpose and a chance to feel like yourself again. It can also feel daunting. You may "
            "still be tired, have side effects from ongoing treatment or feel anxious about how colleagues will "
            "react.</p>"
            "<p>There is no right time to return. Some people keep working through treatment, while others take months "
            "off. What matters is finding an approach that works for you.</p>"
            "<h2>Before you go back</h2>"
            "<ul>"
            "<li><strong>Think about what you need.</strong> Would shorter days, fewer days a week, some home working "
            "or a change in duties help?</li>"
            "<li><strong>Talk to your employer.</strong> Many workplaces have an occupational health service that can "
            "help plan your return. If you can, arrange a meeting before your first day back.</li>"
            "<li><strong>Decide what to share.</strong> It is up to you how much you tell colleagues. Some people find "
            "it easier to agree a short message with their manager.</li></ul>"
            "<h2>A phased return</h2>"
            "<p>A phased return, where you build up your hours over several weeks, is often helpful. It gives you time "
            "to rebuild stamina and find out what you can manage. Agree a plan in writing and review it regularly.</p>"
            "<p>You may also need ongoing adjustments, such as time off for appointments, rest breaks or a lighter "
            "workload while fatigue or concentration problems settle.</p>"
            "<h2>Know your rights</h2>"
            "<p>In the UK, cancer counts as a disability under equality law from the point of diagnosis. This means "
            "you are protected from unfair treatment at work, and your employer must consider reasonable adjustments. "
            "The rules differ in other countries, so find out what applies where you live. Your human resources team, "
            "a trade union representative or an independent advice service can help.</p>"
            "<h2>Looking after yourself</h2>"
            "<p>Going back to work can stir up unexpected emotions. Some people feel pressure to act as though nothing "
            "has happened. Be patient with yourself and give it time. If you are finding it hard, talk to your GP, "
            "your breast care nurse or a counsellor.</p>"
        ),
        "source": "",
        "authors": ["idris-fenwick", "rowan-pellegrew"],
        "reviewer": None,
        "reviewed_days_ago": None,
        "published_days_ago": 480,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": "UK Government. Equality Act 2010.",
                "url": "https://www.legislation.gov.uk/ukpga/2010/15/contents",
            },
            {
                "citation": (
                    "Example Workplace Health Group. Returning to work after cancer treatment: a guide for employees "
                    "and managers. Demo Occupational Health Review, 2022."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "scanxiety-coping-with-the-wait-for-scans-and-results",
        "title": "Scanxiety: coping with the wait for scans and results",
        "section": "living-well",
        "tags": ["wellbeing", "life after treatment", "recurrence", "metastatic breast cancer"],
        "summary": (
            "Many people feel anxious before scans, check-ups and results, a feeling often called scanxiety. It is a "
            "normal response to uncertainty. This article offers practical ways to cope with the waiting and suggests "
            "when to ask for extra support."
        ),
        "body": (
            "<p>You might feel fine most of the time, and then, as a scan or check-up approaches, the worry creeps "
            "back. You may sleep badly, feel on edge or find yourself imagining the worst. Many people affected by "
            "breast cancer know this feeling well. It even has a name: scanxiety.</p>"
            "<p>Scanxiety can affect anyone, whether you are waiting for a first diagnosis, having routine follow-up "
            "mammograms, or living with secondary breast cancer and having regular scans to check how treatment is "
            "working. It is a natural response to uncertainty, and it does not mean you are not coping.</p>"
            "<h2>Before the appointment</h2>"
            "<ul>"
            "<li><strong>Find out what to expect.</strong> Ask when and how you will get your results. Knowing the "
            "timeline can make the wait feel more manageable.</li>"
            "<li><strong>Ask about timing.</strong> Some people find it helps to have the results appointment as soon "
            "after the scan as possible. It is worth asking whether this can be arranged.</li>"
            "<li><strong>Plan things to look forward to.</strong> A walk with a friend, a film or a project that "
            "absorbs your attention can give your mind a break.</li>"
            "<li><strong>Try a calming technique.</strong> Slow breathing, mindfulness or gentle stretching help some "
            "people feel steadier. Even a few minutes of breathing slowly, with the out-breath a little longer than "
            "the in-breath, can help.</li></ul>"
            "<h2>On the day</h2>"
            "<p>Take someone with you if you can, both for company and to help remember what is said. Bring something "
            "to occupy you in the waiting room. Write your questions down in advance so you do not forget them if you "
            "feel flustered.</p>"
            "<h2>When worry becomes too much</h2>"
            "<p>It is normal to feel anxious around scans. But if worry is taking over your life, stopping you "
            "sleeping or eating, or lasting long after you have your results, please ask for help. Your GP, breast "
            "care nurse or the hospital's psychological support service can help, and talking therapies can be very "
            "effective for anxiety.</p>"
            "<p>Many people also find it helps to talk to others who understand, through a support group or an online "
            "community. You do not have to carry this on your own.</p>"
        ),
        "source": "",
        "authors": ["hattie-lindqvist-marsh"],
        "reviewer": "gwen-tamworthy",
        "reviewed_days_ago": 32,
        "published_days_ago": 30,
        "status": "published",
        "featured": True,
        "references": [
            {
                "citation": (
                    "Example Research Group. Anxiety around surveillance imaging in people treated for breast cancer: "
                    "a qualitative interview study. Demo Journal of Psycho-Oncology, 2023."
                ),
                "url": "",
            },
        ],
    },
    {
        "slug": "how-to-support-someone-with-breast-cancer",
        "title": "How to support someone with breast cancer",
        "section": "living-well",
        "tags": ["family and carers", "wellbeing"],
        "summary": (
            "When someone you love has breast cancer, it can be hard to know what to say or do. This guide offers "
            "practical ideas for helping, talking about difficult things and looking after yourself as a partner, "
            "friend or family member."
        ),
        "body": (
            "<p>Finding out that someone close to you has breast cancer can be a shock. You may feel helpless, "
            "frightened or unsure how to act. Wanting to help is a good start. There is no perfect script, and often "
            "the most important thing is simply to be there.</p>"
            "<h2>Listening and talking</h2>"
            "<ul>"
            "<li><strong>Follow their lead.</strong> Some people want to talk about their cancer a lot; others want a "
            "break from it. Ask what they would find helpful.</li>"
            "<li><strong>Listen more than you speak.</strong> You do not need to have answers or fix things. Saying "
            "“I'm here” or “That sounds really hard” can mean a great deal.</li>"
            "<li><strong>Go easy on reassurance.</strong> Phrases like “stay positive” or “you'll be fine” are well "
            "meant, but they can make it harder for someone to share their fears.</li>"
            "<li><strong>Hold back on miracle cures.</strong> Sending articles about unproven treatments, or stories "
            "about other people's cancer, is rarely helpful unless they ask.</li></ul>"
            "<h2>Practical help</h2>"
            "<p>Saying “let me know if you need anything” is kind, but it leaves the person with cancer to do the "
            "asking. Specific offers are often easier to accept:</p>"
            "<ul>"
            "<li>“Can I drive you to your appointment on Tuesday?”</li>"
            "<li>“I'm cooking on Thursday – shall I drop a meal round?”</li>"
            "<li>“Would it help if I picked the children up from school this week?”</li></ul>"
            "<p>Keep in touch after treatment finishes, too. This can be a lonely time, when support from others falls "
            "away but emotional and physical recovery is still going on.</p>"
            "<h2>Partners and close family</h2>"
            "<p>Breast cancer can change roles and routines in a relationship. Treatment can affect energy, body "
            "image, sex and intimacy. Talking openly, being patient with each other and keeping some time for things "
            "you enjoy together can help. Some couples find it useful to see a counsellor together.</p>"
            "<h2>Looking after yourself</h2>"
            "<p>Supporting someone can be exhausting, and your own feelings matter too. Try to keep up with sleep, "
            "meals and things that help you unwind, and share the load with others where you can. If you are caring "
            "for someone, you may be entitled to practical or financial support, and carers' organisations can advise "
            "you. Talking to a friend, your GP or a support group can help you keep going.</p>"
        ),
        "source": "",
        "authors": ["rowan-pellegrew"],
        "reviewer": None,
        "reviewed_days_ago": None,
        "published_days_ago": 130,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "Example Research Group. What helps? Experiences of partners, friends and family members "
                    "supporting someone through breast cancer treatment. Demo Journal of Psycho-Oncology, 2022."
                ),
                "url": "",
            },
        ],
    },
    # -------------------- Prevention and Risk
    {
        "slug": "family-history-and-breast-cancer-risk",
        "title": "Family history and breast cancer risk: what you need to know",
        "section": "prevention-and-risk",
        "tags": ["family history", "genetics", "brca", "risk factors"],
        "summary": (
            "Having a relative with breast cancer does not necessarily mean your own risk is much higher, but some "
            "family patterns can point to an inherited gene change. This guide explains when a family history may be "
            "significant and what to do if you are concerned."
        ),
        "body": (
            "<p>Breast cancer is common, so many people have a relative who has had it. If someone in your family has "
            "been diagnosed, you may wonder what it means for you.</p>"
            "<p>Having a relative with breast cancer does not necessarily mean your own risk is much higher, "
            "particularly if only one relative is affected and they were diagnosed at an older age. Most breast "
            "cancers are not inherited, and the biggest risk factor is simply getting older.</p>"
            "<h2>When family history may be significant</h2>"
            "<p>A small proportion of breast cancers are linked to an inherited change in a gene such as "
            "<em>BRCA1</em>, <em>BRCA2</em> or certain other genes. These changes can be passed down through either "
            "parent. It may be worth talking to your GP about your family history if, for example:</p>"
            "<ul>"
            "<li>several close relatives on the same side of the family have had breast cancer</li>"
            "<li>a close relative was diagnosed at a young age, such as under 40</li>"
            "<li>a relative has had breast cancer in both breasts</li>"
            "<li>a male relative has had breast cancer</li>"
            "<li>there is ovarian cancer in the family, or a mix of breast, ovarian, prostate or pancreatic "
            "cancers</li>"
            "<li>a relative is known to carry a gene change linked to breast cancer</li></ul>"
            "<p>Some inherited BRCA changes are more common in people with Ashkenazi Jewish ancestry.</p>"
            "<h2>What happens next</h2>"
            "<p>Your GP will ask about your family history and may refer you to a family history clinic or genetics "
            "service, where specialists can estimate your risk more accurately. Depending on the result, you may be "
            "offered:</p>"
            "<ul>"
            "<li>genetic counselling and, if appropriate, genetic testing</li>"
            "<li>breast screening that starts earlier or happens more often</li>"
            "<li>advice about medicines or surgery that can lower risk for people at high risk</li></ul>"
            "<p>It helps to gather what information you can before your appointment, such as which relatives had "
            "cancer, what type and at what age.</p>"
            "<h2>Things everyone can do</h2>"
            "<p>Whatever your family history, you can look after your breast health by knowing how your breasts "
            "normally look and feel, reporting any changes promptly, going for screening when invited, staying active "
            "and keeping alcohol low.</p>"
        ),
        "source": "",
        "authors": ["ana-kowalski"],
        "reviewer": "felix-ardenne",
        "reviewed_days_ago": 210,
        "published_days_ago": 560,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "National Institute for Health and Care Excellence (NICE). Familial breast cancer: classification, "
                    "care and managing breast cancer and related risks in people with a family history of breast "
                    "cancer (clinical guideline CG164), 2013, with later updates."
                ),
                "url": "https://www.nice.org.uk/guidance/cg164",
            },
        ],
    },
    {
        "slug": "alcohol-and-breast-cancer-the-facts",
        "title": "Alcohol and breast cancer: the facts",
        "section": "prevention-and-risk",
        "tags": ["risk factors", "nutrition"],
        "summary": (
            "Drinking alcohol increases the risk of breast cancer, and the risk rises the more you drink. There is no "
            "level that is completely free of risk, but drinking less lowers it. Here is what we know, and some "
            "practical ways to cut down."
        ),
        "body": (
            "<p>Many people are surprised to learn that alcohol is linked with breast cancer. But the evidence is "
            "clear: drinking alcohol increases the risk of developing breast cancer, and the more you drink, the "
            "higher the risk. This applies to all types of alcoholic drink, whether wine, beer, spirits or "
            "cocktails.</p>"
            "<h2>Why alcohol affects risk</h2>"
            "<p>Scientists think alcohol raises breast cancer risk in more than one way. It can increase levels of "
            "hormones such as oestrogen, which can encourage some breast cancers to grow. And when the body breaks "
            "alcohol down, it produces a chemical called acetaldehyde, which can damage the DNA in cells.</p>"
            "<h2>Is any amount safe?</h2>"
            "<p>There is no level of drinking that is completely free of breast cancer risk. That does not mean an "
            "occasional drink will cause cancer: many things affect risk, and many people who drink never develop "
            "breast cancer. But, on average, drinking less means a lower risk.</p>"
            "<p>In the UK, the low-risk drinking guidelines advise not regularly drinking more than 14 units a week, "
            "spread over three or more days, with several drink-free days each week. As a rough guide, a medium glass "
            "of wine contains about two units.</p>"
            "<h2>Tips for cutting down</h2>"
            "<ul>"
            "<li>Have several drink-free days each week.</li>"
            "<li>Choose smaller glasses or lower-strength drinks.</li>"
            "<li>Alternate alcoholic drinks with water or soft drinks.</li>"
            "<li>Try alcohol-free alternatives, which are now widely available.</li>"
            "<li>Notice your triggers, such as stress or habit at a certain time of day, and plan something else "
            "instead.</li></ul>"
            "<p>If you have had breast cancer and have questions about alcohol, for example alongside your medicines "
            "or hormone therapy, ask your care team. If you are finding it hard to cut down, your GP can help and can "
            "tell you about local support.</p>"
        ),
        "source": "",
        "authors": ["idris-fenwick"],
        "reviewer": "felix-ardenne",
        "reviewed_days_ago": 180,
        "published_days_ago": 390,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": "UK Chief Medical Officers. Low risk drinking guidelines, 2016.",
                "url": "",
            },
        ],
    },
    {
        "slug": "being-active-to-help-lower-breast-cancer-risk",
        "title": "Being active: a simple way to help lower your breast cancer risk",
        "section": "prevention-and-risk",
        "tags": ["exercise", "risk factors"],
        "summary": (
            "Regular physical activity is linked with a lower risk of breast cancer and brings many other health "
            "benefits. You do not need to run marathons: moving more in everyday life counts. Here is how activity may "
            "help and how to build it into your week."
        ),
        "body": (
            "<p>Some breast cancer risk factors, such as getting older or inheriting certain genes, cannot be changed. "
            "Being physically active is one of the things you can do something about. Research consistently links "
            "regular activity with a lower risk of breast cancer, particularly after the menopause.</p>"
            "<h2>How activity may help</h2>"
            "<p>Researchers think physical activity may lower risk in several ways. It helps you keep a healthy "
            "weight, which matters because after the menopause body fat becomes the main source of oestrogen. Activity "
            "also affects levels of hormones such as insulin and may reduce inflammation in the body.</p>"
            "<p>Being active is good for your heart, bones, mood and sleep too, and it lowers the risk of several "
            "other diseases.</p>"
            "<h2>How much is enough?</h2>"
            "<p>UK guidelines for adults suggest aiming for at least 150 minutes of moderate activity a week, such as "
            "brisk walking or cycling, or 75 minutes of vigorous activity, such as running. They also recommend "
            "activities that strengthen your muscles on at least two days a week, and breaking up long periods of "
            "sitting.</p>"
            "<p>That may sound a lot, but it can be spread out: 30 minutes on five days of the week, or shorter bursts "
            "of ten minutes at a time. Some activity is better than none, and even small increases help.</p>"
            "<h2>Getting started</h2>"
            "<ul>"
            "<li>Choose something you enjoy. Walking, dancing, swimming, gardening and cycling all count.</li>"
            "<li>Moderate activity should make you breathe faster and feel warmer, but you should still be able to "
            "talk.</li>"
            "<li>Build up gradually, especially if you have not been active for a while.</li>"
            "<li>Make it social by walking with a friend or joining a local group.</li>"
            "<li>Look for small chances in your day, such as taking the stairs or getting off the bus a stop "
            "early.</li></ul>"
            "<p>If you have a health condition, or you are having or have recently had cancer treatment, check with "
            "your GP or care team about the kind of activity that suits you.</p>"
        ),
        "source": "",
        "authors": ["hattie-lindqvist-marsh"],
        "reviewer": "felix-ardenne",
        "reviewed_days_ago": 240,
        "published_days_ago": 660,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": "UK Chief Medical Officers. UK Chief Medical Officers' physical activity guidelines, 2019.",
                "url": (
                    "https://www.gov.uk/government/publications/physical-activity-guidelines-uk-chief-medical-officers-report"
                ),
            },
        ],
    },
    {
        "slug": "breast-screening-who-is-invited-and-what-happens",
        "title": "Breast screening: who is invited, when, and what happens",
        "section": "prevention-and-risk",
        "tags": ["screening", "mammography", "family history"],
        "summary": (
            "Breast screening uses mammograms to find cancers early, often before they can be seen or felt. This guide "
            "explains who is invited and at what ages, what happens at an appointment, and the benefits and "
            "limitations of screening so you can decide what is right for you."
        ),
        "body": (
            "<p>Breast screening aims to find breast cancer at an early stage, when it is often smaller and easier to "
            "treat. It uses mammograms – low-dose X-rays of the breast – to look for changes that are too small to see "
            "or feel.</p>"
            "<h2>Who is invited and when?</h2>"
            "<p>Screening ages vary from country to country. In England, for example, the NHS Breast Screening "
            "Programme invites people registered with a GP as female for their first mammogram between the ages of 50 "
            "and 53, and then roughly every three years up to their 71st birthday. After that, you can still ask to be "
            "screened. Trans and non-binary people can talk to their GP about whether screening is right for them. "
            "Other countries may start earlier or screen more often.</p>"
            "<p>People at higher risk, for example because of a strong family history or an inherited gene change, may "
            "be offered screening from a younger age, sometimes including MRI scans. If you are concerned about your "
            "risk, talk to your GP.</p>"
            "<p>Screening is for people without symptoms. Whatever your age, if you notice a change in your breasts, "
            "see your GP rather than waiting for a screening appointment.</p>"
            "<h2>What happens at a mammogram?</h2>"
            "<p>The mammogram is carried out by a specially trained practitioner called a mammographer. You will be "
            "asked to undress to the waist, so a top with trousers or a skirt may be easier than a dress. Each breast "
            "is placed in turn on the X-ray machine and pressed firmly between two plates for a few seconds while the "
            "images are taken. Usually two pictures of each breast are needed.</p>"
            "<p>Many people find the pressure uncomfortable, and some find it painful, but it lasts only a short time. "
            "Tell the mammographer if it hurts – they can help. The whole appointment usually takes about half an "
            "hour.</p>"
            "<h2>Benefits and limitations</h2>"
            "<p>Screening finds many cancers early and is thought to save lives. But, like any test, it is not "
            "perfect:</p>"
            "<ul>"
            "<li>Some cancers are missed, or develop between screening appointments.</li>"
            "<li>Some people are called back for more tests and turn out not to have cancer, which can be very "
            "worrying.</li>"
            "<li>Screening finds some cancers that would never have caused harm in a person's lifetime. This is called "
            "overdiagnosis, and it can lead to treatment that was not needed.</li></ul>"
            "<p>Whether to go for screening is your choice. Your screening service or GP can help you weigh up the "
            "benefits and limitations.</p>"
        ),
        "source": "",
        "authors": ["ana-kowalski"],
        "reviewer": "felix-ardenne",
        "reviewed_days_ago": 260,
        "published_days_ago": 760,
        "status": "published",
        "featured": False,
        "references": [
            {
                "citation": (
                    "NHS England. NHS Breast Screening Programme: information for people invited for screening."
                ),
                "url": "",
            },
        ],
    },
]

# "About this study" facts for research news, by article slug. Values are the ResearchFacts choices.
# Registry numbers are left out: the fictional studies have none, and the 2008 study's number is not
# given in its report, so a made-up one could point readers at a real, unrelated trial.
RESEARCH_FACTS = {
    "sorafenib-anastrozole-resistance-asco-2008": {
        "study_type": "non-randomised-trial",
        "participants": 27,
        "presented_at": "2008 ASCO Breast Cancer Symposium",
        "drugs": [("sorafenib", "Nexavar"), ("anastrozole", "Arimidex")],
        "evidence_strength": 1,
        "what_it_means": (
            "Nothing changes for anyone taking anastrozole today: sorafenib is not approved for breast cancer. "
            "The result is a reason for larger trials. If you think your hormone therapy has stopped working, "
            "talk to your oncologist about your options, which may include a clinical trial."
        ),
    },
    "gentle-exercise-during-chemotherapy-eases-fatigue": {
        "study_type": "randomised-trial",
        "participants": 64,
        "presented_at": "Demo Journal of Oncology Nursing",
        "presented_on": (2023, 5, 15),
        "evidence_strength": 2,
        "what_it_means": (
            "Gentle activity during chemotherapy is safe for most people and may make tiredness easier to live "
            "with. Start small, rest when you need to, and ask your team about exercise support near you."
        ),
    },
    "immunotherapy-before-surgery-triple-negative-phase-ii": {
        "study_type": "randomised-trial",
        "phase": "2",
        "participants": 174,
        "presented_at": "Demo Journal of Clinical Oncology Research",
        "presented_on": (2024, 3, 4),
        "evidence_strength": 2,
        "what_it_means": (
            "Immunotherapy before surgery is already an option for some people with early triple-negative breast "
            "cancer. This trial adds to the evidence but cannot yet say whether people live longer. Your "
            "oncologist can tell you whether it suits your cancer."
        ),
    },
    "regular-arm-checks-catch-lymphoedema-early": {
        "study_type": "observational",
        "participants": 1240,
        "presented_at": "Demo Journal of Supportive Cancer Care",
        "presented_on": (2024, 9, 2),
        "evidence_strength": 2,
        "what_it_means": (
            "If your arm, hand or chest on the treated side feels heavy, tight or swollen, tell your breast care "
            "team early. Advice and support work best when swelling is still mild."
        ),
    },
    "late-recurrence-hormone-receptor-positive-follow-up": {
        "study_type": "observational",
        "participants": 3812,
        "presented_at": "Demo Journal of Cancer Epidemiology",
        "presented_on": (2022, 11, 21),
        "evidence_strength": 3,
        "what_it_means": (
            "Most people in the study did not have a recurrence. A small risk can last beyond five years, which is "
            "why some people are offered longer hormone therapy. Your team can explain what applies to you."
        ),
    },
    "nurse-support-helps-people-stay-on-hormone-therapy": {
        "study_type": "randomised-trial",
        "participants": 412,
        "presented_at": "Demo Journal of Supportive Cancer Care",
        "presented_on": (2022, 6, 13),
        "evidence_strength": 2,
        "what_it_means": (
            "Side effects of hormone therapy can often be eased. If taking your tablets is hard, tell your breast "
            "care nurse or GP before stopping: switching treatment or practical help may make it easier."
        ),
    },
    "lab-study-her2-positive-resistance-second-pathway": {
        "study_type": "laboratory",
        "presented_at": "Demo Journal of Cancer Cell Biology",
        "presented_on": (2024, 7, 8),
        "evidence_strength": 1,
        "what_it_means": (
            "This work was done in cells and mice, so it does not change treatment for anyone today. It helps "
            "researchers choose which combinations are worth testing in people."
        ),
    },
}


# Glossary terms for words the articles use; article pages link each term's first mention.
GLOSSARY = [
    {
        "term": "Anastrozole",
        "slug": "anastrozole",
        "other_names": "Arimidex",
        "definition": (
            "An aromatase inhibitor taken as a tablet once a day. It is mostly used by women who have been through "
            "the menopause, to treat hormone-receptor-positive breast cancer or to lower the chance of it coming back."
        ),
        "learn_more": "living-with-hormone-therapy-side-effects-and-staying-on-track",
    },
    {
        "term": "Aromatase inhibitor",
        "slug": "aromatase-inhibitor",
        "other_names": "",
        "definition": (
            "A type of hormone therapy that lowers the amount of oestrogen the body makes after the menopause, by "
            "blocking an enzyme called aromatase. Anastrozole, letrozole and exemestane are aromatase inhibitors."
        ),
        "learn_more": "living-with-hormone-therapy-side-effects-and-staying-on-track",
    },
    {
        "term": "Ductal carcinoma in situ",
        "slug": "ductal-carcinoma-in-situ",
        "other_names": "DCIS",
        "definition": (
            "Abnormal cells inside the milk ducts of the breast that have not grown into the surrounding breast "
            "tissue. It is sometimes called stage 0 or pre-invasive breast cancer, and treatment usually works well."
        ),
        "learn_more": "breast-cancer-stages-and-grades-explained",
    },
    {
        "term": "HER2-positive",
        "slug": "her2-positive",
        "other_names": "HER2 positive",
        "definition": (
            "Describes a breast cancer whose cells make too much of a protein called HER2, which helps them grow. "
            "These cancers can grow faster than others, but targeted drugs that block HER2 treat them well."
        ),
        "learn_more": "hormone-receptors-and-her2-your-pathology-report",
    },
    {
        "term": "Hormone-receptor-positive",
        "slug": "hormone-receptor-positive",
        "other_names": "hormone receptor-positive, HR-positive, ER-positive, oestrogen-receptor-positive",
        "definition": (
            "Describes a breast cancer whose cells have receptors for the hormones oestrogen or progesterone, so "
            "these hormones can help it grow. It is the most common type, and hormone therapy is often used to treat "
            "it."
        ),
        "learn_more": "hormone-receptors-and-her2-your-pathology-report",
    },
    {
        "term": "Kinase inhibitor",
        "slug": "kinase-inhibitor",
        "other_names": "",
        "definition": (
            "A targeted drug that blocks kinases, proteins that pass growth signals inside cells. Blocking these "
            "signals can slow the growth of some cancers. Different kinase inhibitors block different kinases."
        ),
        "learn_more": "",
    },
    {
        "term": "Lymphoedema",
        "slug": "lymphoedema",
        "other_names": "lymphedema",
        "definition": (
            "Swelling, often in the arm, hand or chest, that can happen when surgery or radiotherapy to the lymph "
            "nodes slows the drainage of fluid. It can be managed, and starting treatment early helps."
        ),
        "learn_more": "regular-arm-checks-catch-lymphoedema-early",
    },
    {
        "term": "Mammogram",
        "slug": "mammogram",
        "other_names": "mammography",
        "definition": (
            "An X-ray picture of the breast. Mammograms can show changes too small to feel, and are used both for "
            "breast screening and to look into a breast symptom."
        ),
        "learn_more": "breast-screening-who-is-invited-and-what-happens",
    },
    {
        "term": "Metastatic",
        "slug": "metastatic",
        "other_names": "",
        "definition": (
            "Describes a cancer that has spread from where it started to another part of the body. Metastatic breast "
            "cancer is also called secondary breast cancer."
        ),
        "learn_more": "treatment-for-secondary-breast-cancer-an-introduction",
    },
    {
        "term": "Neoadjuvant treatment",
        "slug": "neoadjuvant-treatment",
        "other_names": "neoadjuvant therapy, neoadjuvant chemotherapy",
        "definition": (
            "Treatment given before surgery, such as chemotherapy, hormone therapy or a targeted drug. It is often "
            "used to shrink a cancer first, which can make the operation smaller."
        ),
        "learn_more": "",
    },
    {
        "term": "Randomised trial",
        "slug": "randomised-trial",
        "other_names": (
            "randomised controlled trial, randomised study, randomised pilot study, randomized trial, "
            "randomized controlled trial"
        ),
        "definition": (
            "A study in which people are put into groups by chance, for example one group having a new treatment and "
            "another the usual care. Because the groups start out alike, differences in how they fare are more "
            "likely to come from the treatment itself."
        ),
        "learn_more": "",
    },
    {
        "term": "Secondary breast cancer",
        "slug": "secondary-breast-cancer",
        "other_names": "stage 4 breast cancer",
        "definition": (
            "Breast cancer that has spread to other parts of the body, such as the bones, liver or lungs. It cannot "
            "usually be cured, but treatment can often control it for a long time and help people live well."
        ),
        "learn_more": "treatment-for-secondary-breast-cancer-an-introduction",
    },
    {
        "term": "Tamoxifen",
        "slug": "tamoxifen",
        "other_names": "Nolvadex",
        "definition": (
            "A hormone therapy taken as a tablet once a day. It stops oestrogen from attaching to breast cancer "
            "cells, which slows or stops the growth of hormone-receptor-positive cancers. It can be used before or "
            "after the menopause."
        ),
        "learn_more": "living-with-hormone-therapy-side-effects-and-staying-on-track",
    },
    {
        "term": "Trastuzumab",
        "slug": "trastuzumab",
        "other_names": "Herceptin",
        "definition": (
            "A targeted drug for HER2-positive breast cancer. It attaches to the HER2 protein on cancer cells, "
            "blocking the growth signals it sends and helping the immune system find those cells. It is given "
            "through a drip or as an injection under the skin."
        ),
        "learn_more": "hormone-receptors-and-her2-your-pathology-report",
    },
    {
        "term": "Triple-negative breast cancer",
        "slug": "triple-negative-breast-cancer",
        "other_names": "triple-negative",
        "definition": (
            "Breast cancer whose cells have no receptors for oestrogen or progesterone and do not make too much "
            "HER2. Hormone therapy and HER2-targeted drugs do not work against it, so chemotherapy is usually the "
            "main drug treatment, sometimes with immunotherapy."
        ),
        "learn_more": "hormone-receptors-and-her2-your-pathology-report",
    },
]
