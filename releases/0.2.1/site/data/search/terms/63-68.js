NC.data("search/terms/63-68",{"challenge":[49,97,182,280],"change":[30,54,277],"changing":[30,54,125,277],"china":[11,49,97,142,147,280]});
