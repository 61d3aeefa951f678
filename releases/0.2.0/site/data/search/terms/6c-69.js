NC.data("search/terms/6c-69",{"lid":[222],"life":[73,202],"like":[222],"limited":[29,273],"little":[73,168,202],"lives":[178,274]});
